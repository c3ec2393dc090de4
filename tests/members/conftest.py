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


NEW_PASSWORD = "river-copper-lantern"


def link_path(message) -> str:
    """Return the path of the password link in an emailed invitation or reset."""
    from tests.smtpserver import text_of

    found = re.search(r"http://[^/\s]+(/password/set/\S+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def set_from_mail(app, mailbox, password: str = NEW_PASSWORD) -> str:
    """Set a password from the link in the newest message; return the password."""
    data = {"new_password": password, "confirm_password": password}
    response = app.test_client().post(link_path(mailbox[-1]), data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return password


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
