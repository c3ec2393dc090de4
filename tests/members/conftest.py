"""Helpers for the members tests: find memberships and post role forms."""

import re

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.sites.models import Jurisdiction, Site
from tests.conftest import login

USERS = "/demo/cqi/admin/users"


@pytest.fixture
def admin(demo, client):
    """A client signed in as the demo state administrator."""
    login(client, "admin")
    return client


def find_membership(app, username: str, kind: str = "cqi", code: str = "demo") -> Membership | None:
    """Return the membership (columns loaded, detached) of a user on a site, or None."""
    with app.app_context():
        return db.session.scalar(
            select(Membership)
            .join(Membership.user)
            .join(Membership.site)
            .join(Site.jurisdiction)
            .where(User.username == username, Site.kind == kind, Jurisdiction.code == code)
        )


def find_user(app, username: str) -> User | None:
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def roles_form(*codes: str, **fields) -> dict:
    """Return form data for the role fields, e.g. roles_form('reviewer', 'qa1')."""
    data = {code: "y" for code in codes if code in ("state_admin", "reviewer", "observer")}
    data["qa_level"] = next((code[2:] for code in codes if code.startswith("qa")), "")
    return data | fields


def temporary_password(page: str) -> str:
    """Return the temporary password shown on a page."""
    found = re.search(r"<code>([^<]+)</code>", page)
    assert found, page[:2000]
    return found.group(1)


def share(app, username: str, kind: str = "cfsr", code: str = "demo", **roles) -> None:
    """Give an account roles on a site at system level (as the command line does)."""
    from review_app.core.roles import RoleSet
    from review_app.members.operations import grant_access
    from review_app.sites.queries import site_by_slug

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        grant_access(
            None, site_by_slug(code, kind), user, RoleSet(**(roles or {"is_observer": True}))
        )
        db.session.commit()
