"""Helpers for notification tests: who was told what, and the QA case to move."""

import pytest
from sqlalchemy import delete, select

from review_app.extensions import db
from review_app.notices.models import Notice
from tests.qa.conftest import complete_case  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def no_notices_yet(demo):
    """Start without the notices the demo's seeding made (undone after the test)."""
    with demo.app_context():
        db.session.execute(delete(Notice))
        db.session.commit()


def told(app, kind=None) -> list[tuple[str, str]]:
    """Every notice as (recipient's username, message), oldest first."""
    from review_app.accounts.models import User

    with app.app_context():
        query = select(User.username, Notice.message).join(User, User.id == Notice.recipient_id)
        if kind is not None:
            query = query.where(Notice.kind == kind)
        return [tuple(row) for row in db.session.execute(query.order_by(Notice.id))]


def who(app, kind=None) -> list[str]:
    return [username for username, _ in told(app, kind)]
