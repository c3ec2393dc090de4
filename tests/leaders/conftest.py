"""Helpers for the Site Leader's tests: the demo CQI site's cases by number, and people."""

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.sites.models import LocalSite
from review_app.sites.queries import site_by_slug
from tests.conftest import PASSWORD

SITE = "/demo/cqi"


def case_id(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Case.id).where(Case.case_number == number))


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def reviewers_of(app, number: str) -> list[str]:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.case_number == number))
        db.session.refresh(case)
        return sorted(user.username for user in case.reviewers)


def local_site_id(app, name: str, kind: str = "cqi") -> int:
    with app.app_context():
        site = site_by_slug("demo", kind)
        return db.session.scalar(
            select(LocalSite.id).where(LocalSite.site_id == site.id, LocalSite.name == name)
        )


@pytest.fixture
def south_reviewer(demo):
    """A reviewer of the demo CQI site limited to Clark County: "sam_south" (Sam South)."""
    from review_app.accounts.operations import create_user
    from review_app.core.roles import RoleSet
    from review_app.members.operations import grant_access

    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        clark = db.session.scalar(
            select(LocalSite).where(LocalSite.site_id == site.id, LocalSite.name == "Clark County")
        )
        user = create_user(None, "sam_south", "Sam South", PASSWORD)
        grant_access(None, site, user, RoleSet(is_reviewer=True), places=([], [clark]))
        db.session.commit()
        return user.id
