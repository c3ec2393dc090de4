"""Helpers for QA tests: a complete CFSR case and a client per person."""

import pytest
from sqlalchemy import select

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.ratings.models import ItemReview
from tests.ratings.test_completeness import _fill
from tests.transactions import replayed

SITE = "/demo/cfsr"


@pytest.fixture
def complete_case(demo) -> int:
    """A CFSR case assigned to reviewer alone, with every answer given."""
    return replayed(demo, "complete_case", lambda: _complete_case(demo))


def _complete_case(demo) -> int:
    from review_app.accounts.models import User
    from review_app.cases.models import Assignment
    from review_app.sites.queries import site_by_slug

    with demo.app_context():
        reviewer = db.session.scalar(select(User).where(User.username == "reviewer"))
        case_id = db.session.scalar(
            select(Case.id)
            .join(Assignment)
            .where(
                Assignment.user_id == reviewer.id,
                Case.site_id == site_by_slug("demo", "cfsr").id,
                Case.status == "in_progress",
                Case.case_type == "foster_care",
            )
            .order_by(Case.id)
        )
    _fill(demo, case_id)
    return case_id


def status_of(app, case_id: int) -> tuple[str, int]:
    with app.app_context():
        case = db.session.get(Case, case_id)
        return case.status, case.status_version


def act(client, app, case_id: int, action: str, **extra):
    """Post a status action with the case's current status version."""
    _, version = status_of(app, case_id)
    data = {"action": action, "status_version": str(version), "confirmed": "1", **extra}
    response = client.post(f"{SITE}/cases/{case_id}/status", data=data)
    assert response.status_code == 302
    return client.get(response.location).get_data(as_text=True)


def save_item_3(app, client, case_id: int) -> None:
    """The reviewer changes item 3's rationale through the item page."""
    with app.app_context():
        version = db.session.scalar(
            select(ItemReview.lock_version).where(
                ItemReview.case_id == case_id, ItemReview.item_id == "3"
            )
        )
    saved = client.post(
        f"{SITE}/cases/{case_id}/items/3",
        data={
            "lock_version": str(version),
            "shown": "3A",
            "3A": "yes",
            "rationale": "Based on the April assessment.",
        },
    )
    assert saved.status_code == 302
