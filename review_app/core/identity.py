"""Who is asking: the signed-in user (flask-login) and their site roles (flask-principal)."""

from flask import Flask, g
from flask_login import current_user
from flask_principal import AnonymousIdentity, Identity, identity_loaded
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from review_app.accounts.models import User
from review_app.core.access import SiteRoleNeed, SystemAdminNeed
from review_app.extensions import db, login_manager, principal
from review_app.members.models import Membership
from review_app.sites.models import Jurisdiction, Site


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Return the user of a session, or None when it was ended or the user deactivated."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


@principal.identity_loader
def load_identity() -> Identity:
    if current_user.is_authenticated:
        return Identity(current_user.id)
    return AnonymousIdentity()


def _active_memberships(user_id: int) -> list[Membership]:
    """Return the user's active memberships with their sites, in one query."""
    statement = (
        select(Membership)
        .join(Membership.site)
        .join(Site.jurisdiction)
        .where(Membership.user_id == user_id, Membership.is_active)
        .options(contains_eager(Membership.site).contains_eager(Site.jurisdiction))
        .order_by(Jurisdiction.name, Site.id)
    )
    return list(db.session.scalars(statement).unique())


def add_role_needs(sender: Flask, identity: Identity) -> None:
    """Give the identity a need per site role held; keep the memberships for the page."""
    g.memberships = []
    if not current_user.is_authenticated:
        return
    if current_user.is_system_admin:
        identity.provides.add(SystemAdminNeed)
    g.memberships = _active_memberships(current_user.id)
    for membership in g.memberships:
        identity.provides.add(SiteRoleNeed(membership.site_id, "member"))
        for code in membership.roles.codes:
            identity.provides.add(SiteRoleNeed(membership.site_id, code))
            if code.startswith("qa"):
                identity.provides.add(SiteRoleNeed(membership.site_id, "qa"))


def init_identity(app: Flask) -> None:
    """Connect the identity signal for ``app``."""
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    identity_loaded.connect_via(app)(add_role_needs)
