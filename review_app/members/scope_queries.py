"""Whose access reaches a local site: for the people told of a case, or given one.

A membership not limited reaches the whole site; a limited one the local sites its
scope entries name, directly or through their region (as the region is now).
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, ColumnExpressionArgument, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from review_app.core.scope import Scope, scope_of
from review_app.extensions import db
from review_app.members.identity import membership_scope
from review_app.members.models import Membership, ScopeEntry
from review_app.sites.models import LocalSite, Region


def covers_local_site(local_site_id: int) -> ColumnElement[bool]:
    """Return the condition that a membership (``Membership``) reaches the local site."""
    return reaches_any_of(Scope(frozenset({local_site_id})))


def reaching(local_site_id: int | None) -> tuple[ColumnElement[bool], ...]:
    """The conditions that a membership reaches the local site: none without one."""
    return () if local_site_id is None else (covers_local_site(local_site_id),)


def scopes_of(
    site_id: int,
    user_ids: Iterable[int] | None = None,
    role: ColumnExpressionArgument[bool] | None = None,
) -> dict[int, Scope]:
    """Return the scope of each active member of the site, by user id (three statements).

    Among ``user_ids`` (None: everyone) and, with ``role``, those whose membership meets
    it; a person without such a membership is absent from the answer.
    """
    statement = (
        select(Membership)
        .where(Membership.site_id == site_id, Membership.is_active)
        .options(
            selectinload(Membership.scope_entries).options(
                joinedload(ScopeEntry.region).selectinload(Region.local_sites),
                joinedload(ScopeEntry.local_site),
            )
        )
    )
    if user_ids is not None:
        ids = set(user_ids)
        if not ids:
            return {}
        statement = statement.where(Membership.user_id.in_(ids))
    if role is not None:
        statement = statement.where(role)
    return {m.user_id: membership_scope(m) for m in db.session.scalars(statement)}


def reaches_any_of(scope: Scope) -> ColumnElement[bool]:
    """Return the condition that a membership reaches at least one local site of ``scope``.

    For the people offered to someone limited to ``scope`` (others work elsewhere) and
    those told of a case. One EXISTS per membership row, whatever the number of entries.
    """
    if scope.local_site_ids is None:
        return true()
    ids = sorted(scope.local_site_ids)
    regions = select(LocalSite.region_id).where(LocalSite.id.in_(ids))
    entry = select(ScopeEntry.id).where(
        ScopeEntry.membership_id == Membership.id,
        or_(ScopeEntry.local_site_id.in_(ids), ScopeEntry.region_id.in_(regions)),
    )
    return or_(Membership.is_limited.is_(False), entry.exists())


def reaches_all_of(user: Any, membership: Membership) -> bool:
    """Tell whether ``user``'s scope on the membership's site holds all the membership reaches.

    The rule by which a limited administrator manages a person (or decides for them).
    """
    return scope_of(user, membership.site_id).contains(membership_scope(membership))
