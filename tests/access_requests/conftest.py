"""Helpers for the access request tests: the demo's people, sites and places."""

import pytest
from sqlalchemy import select

from review_app.access_requests.models import AccessRequest
from review_app.accounts.models import User
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.sites.models import LocalSite, Region
from review_app.sites.queries import site_by_slug

NEWCOMER = "newcomer"


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def site(kind: str = "cqi"):
    return site_by_slug("demo", kind)


def region(kind: str, code: str) -> Region:
    return db.session.scalar(
        select(Region).where(Region.site_id == site(kind).id, Region.code == code)
    )


def local_site(kind: str, code: str) -> LocalSite:
    return db.session.scalar(
        select(LocalSite).where(LocalSite.site_id == site(kind).id, LocalSite.code == code)
    )


def requests_of(username: str) -> list[AccessRequest]:
    return list(
        db.session.scalars(
            select(AccessRequest)
            .join(User, AccessRequest.user_id == User.id)
            .where(User.username == username)
            .order_by(AccessRequest.id)
        )
    )


def membership(username: str, kind: str = "cqi") -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user(username).id, Membership.site_id == site(kind).id
        )
    )


@pytest.fixture
def demo_request(demo) -> int:
    """The id of the demo newcomer's pending request (reviewer, CQI, Southern region)."""
    with demo.app_context():
        return requests_of(NEWCOMER)[0].id
