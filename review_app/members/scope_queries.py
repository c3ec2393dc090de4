"""Whose access reaches a local site: for the people told of a case, or given one.

A membership not limited reaches the whole site; a limited one the local sites its
scope entries name, directly or through their region (as the region is now).
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import joinedload, selectinload

from review_app.core.scope import Scope
from review_app.extensions import db
from review_app.members.identity import membership_scope
from review_app.members.models import Membership, ScopeEntry
from review_app.sites.models import LocalSite, Region


def covers_local_site(local_site_id: int) -> ColumnElement[bool]:
    """Return the condition that a membership (``Membership``) reaches the local site.

    One EXISTS per membership row, whatever the number of regions and entries.
    """
    region_id = select(LocalSite.region_id).where(LocalSite.id == local_site_id).scalar_subquery()
    entry = select(ScopeEntry.id).where(
        ScopeEntry.membership_id == Membership.id,
        or_(ScopeEntry.local_site_id == local_site_id, ScopeEntry.region_id == region_id),
    )
    return or_(Membership.is_limited.is_(False), entry.exists())


def scopes_of(site_id: int, user_ids: Iterable[int]) -> dict[int, Scope]:
    """Return the scope of each person's active membership of the site (three statements).

    A person without one is absent from the answer.
    """
    ids = set(user_ids)
    if not ids:
        return {}
    memberships = db.session.scalars(
        select(Membership)
        .where(
            Membership.site_id == site_id,
            Membership.user_id.in_(ids),
            Membership.is_active,
        )
        .options(
            selectinload(Membership.scope_entries).options(
                joinedload(ScopeEntry.region).selectinload(Region.local_sites),
                joinedload(ScopeEntry.local_site),
            )
        )
    )
    return {membership.user_id: membership_scope(membership) for membership in memberships}
