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
from sqlalchemy.orm import aliased, contains_eager

from review_app.accounts.models import User, UserSession, key_digest
from review_app.core.access import SystemAdminNeed
from review_app.core.models import utcnow
from review_app.core.roles import MEMBERSHIPS_LOADER, ROLES_LOADER, RoleSet, keep_request_roles
from review_app.core.scope import SCOPE_LOADER, WHOLE_SITE, Scope
from review_app.extensions import db, login_manager, principal
from review_app.members.models import Membership, ScopeEntry
from review_app.sites.models import Jurisdiction, LocalSite, Region, Site

_ROLE_COLUMNS = (
    Membership.site_id,
    Membership.is_state_admin,
    Membership.is_reviewer,
    Membership.is_observer,
    Membership.qa_level,
    Membership.is_site_leader,
)
# Built once: the user of an open sign-in session and the roles of each active
# membership (one row per membership).
_USER_WITH_ROLES = (
    select(User, *_ROLE_COLUMNS, Membership.is_limited)
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
    keep_request_roles(user.id, _by_site(row[1:-1] for row in rows if row.site_id))
    g.unlimited_sites = {row.site_id for row in rows if row.site_id and not row.is_limited}
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


# Built once: a membership's limit and its places, one row per local site reached
# (a region's local sites as they are now), in one statement.
_REACHED = aliased(LocalSite)
_SCOPE_ROWS = (
    select(
        Membership.is_limited,
        ScopeEntry.id.label("entry_id"),
        Region.name.label("region_name"),
        LocalSite.name.label("local_name"),
        LocalSite.id.label("local_id"),
        _REACHED.id.label("reached_id"),
    )
    .select_from(Membership)
    .outerjoin(ScopeEntry, ScopeEntry.membership_id == Membership.id)
    .outerjoin(Region, Region.id == ScopeEntry.region_id)
    .outerjoin(LocalSite, LocalSite.id == ScopeEntry.local_site_id)
    .outerjoin(_REACHED, _REACHED.region_id == Region.id)
    .where(
        Membership.user_id == bindparam("user_id"),
        Membership.site_id == bindparam("site_id"),
        Membership.is_active,
    )
    .order_by(ScopeEntry.id)
)


def scope_on(user_id: int, site_id: int) -> Scope:
    """Return the scope of a person's active membership of a site (nothing when none).

    Reads nothing more for the signed-in person on a site they reach whole, and one
    statement otherwise (the same scope as ``membership_scope``).
    """
    if g.get("site_roles_user_id") == user_id and site_id in g.get("unlimited_sites", ()):
        return WHOLE_SITE
    rows = db.session.execute(_SCOPE_ROWS, {"user_id": user_id, "site_id": site_id}).all()
    if not rows:
        return Scope(frozenset())
    if not rows[0].is_limited:
        return WHOLE_SITE
    ids: set[int] = set()
    names: dict[int, str] = {}
    for row in rows:
        if row.entry_id is None:
            continue
        names.setdefault(row.entry_id, row.region_name or row.local_name or "")
        ids.update(i for i in (row.local_id, row.reached_id) if i is not None)
    return Scope(frozenset(ids), ", ".join(names.values()) or "no local sites")


def reach_of(regions: list[Region], local_site_ids: list[int], label: str = "") -> Scope:
    """Return the scope that names these regions (their local sites now) and local sites."""
    ids = {local.id for region in regions for local in region.local_sites}
    return Scope(frozenset(ids.union(local_site_ids)), label)


def membership_scope(membership: Membership) -> Scope:
    """Return the local sites a membership reaches, with the names of what it names."""
    if not membership.is_limited:
        return WHOLE_SITE
    entries = membership.scope_entries
    return reach_of(
        [entry.region for entry in entries if entry.region is not None],
        [entry.local_site_id for entry in entries if entry.local_site_id is not None],
        ", ".join(entry.name for entry in entries) or "no local sites",
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
    app.extensions[SCOPE_LOADER] = scope_on
