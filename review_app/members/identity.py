"""Who is asking: the signed-in user (flask-login) and the roles of their memberships.

A signed-in request reads the user and the roles of their active memberships
in one statement and keeps the roles for core.roles.roles_of; the memberships
as objects (with their sites, for the header and the home page) are read only
when a page asks for them. Core reads roles and memberships through the
loaders registered here, so it imports no domain.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from flask import Flask, g
from flask_login import current_user
from flask_principal import AnonymousIdentity, Identity, identity_loaded
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import contains_eager

from review_app.accounts.models import User, UserSession, key_digest
from review_app.core.access import SystemAdminNeed
from review_app.core.models import utcnow
from review_app.core.roles import MEMBERSHIPS_LOADER, ROLES_LOADER, RoleSet, keep_request_roles
from review_app.extensions import db, login_manager, principal
from review_app.members.models import Membership
from review_app.sites.models import Jurisdiction, Site

_ROLE_COLUMNS = (
    Membership.site_id,
    Membership.is_state_admin,
    Membership.is_reviewer,
    Membership.is_observer,
    Membership.qa_level,
)
# Built once: the user of an open sign-in session and the roles of each active
# membership (one row per membership).
_USER_WITH_ROLES = (
    select(User, *_ROLE_COLUMNS)
    .select_from(UserSession)
    .join(User, User.id == UserSession.user_id)
    .outerjoin(Membership, and_(Membership.user_id == User.id, Membership.is_active))
    .where(
        UserSession.id == bindparam("session_id"),
        UserSession.ended_at.is_(None),
        UserSession.expires_at > bindparam("now"),
        User.is_active,
    )
)
SESSION_KEY_LENGTH = 43  # secrets.token_urlsafe(32)


@login_manager.user_loader
def load_user(session_key: str) -> User | None:
    """Return the user of a sign-in session, or None when it ended, expired or is unknown."""
    if len(session_key) != SESSION_KEY_LENGTH:
        return None  # an old or forged id: no need to ask the database
    rows = db.session.execute(
        _USER_WITH_ROLES, {"session_id": key_digest(session_key), "now": utcnow()}
    ).all()
    if not rows:
        return None
    user = rows[0][0]
    user.session_key = session_key
    keep_request_roles(user.id, _by_site(row[1:] for row in rows if row.site_id))
    return user


@principal.identity_loader
def load_identity() -> Identity:
    if current_user.is_authenticated:
        return Identity(current_user.id)
    return AnonymousIdentity()


def _by_site(rows: Iterable[Sequence[Any]]) -> dict[int, RoleSet]:
    """Return roles by site from rows of ``_ROLE_COLUMNS``."""
    return {site_id: RoleSet(*flags) for site_id, *flags in rows}


def site_roles_of(user_id: int) -> dict[int, RoleSet]:
    """Return a user's roles by site, from their active memberships."""
    return _by_site(
        db.session.execute(
            select(*_ROLE_COLUMNS).where(Membership.user_id == user_id, Membership.is_active)
        )
    )


def my_memberships() -> list[Membership]:
    """Return the current user's active memberships with their sites (read once per request)."""
    if "memberships" not in g:
        g.memberships = []
        if current_user.is_authenticated:
            g.memberships = list(
                db.session.scalars(
                    select(Membership)
                    .join(Membership.site)
                    .join(Site.jurisdiction)
                    .where(Membership.user_id == current_user.id, Membership.is_active)
                    .options(contains_eager(Membership.site).contains_eager(Site.jurisdiction))
                    .order_by(Jurisdiction.name, Site.id)
                ).unique()
            )
    memberships: list[Membership] = g.memberships
    return memberships


def add_role_needs(sender: Flask, identity: Identity) -> None:
    """Give a system administrator's identity its need.

    Site roles are not needs: whichever loader found the user (the session's or
    the API token's) kept them for core.roles.roles_of, the one lookup.
    """
    if not current_user.is_authenticated:
        keep_request_roles(None, {})
        return
    if current_user.is_system_admin:
        identity.provides.add(SystemAdminNeed)


def init_identity(app: Flask) -> None:
    """Connect the identity signal for ``app``."""
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    identity_loaded.connect_via(app)(add_role_needs)
    # core.roles reads through these: roles_of and my_memberships.
    app.extensions[ROLES_LOADER] = site_roles_of
    app.extensions[MEMBERSHIPS_LOADER] = my_memberships
