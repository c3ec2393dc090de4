"""Every change to how far a membership reaches: the whole site, or regions and local sites."""

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.core.roles import RoleSet
from review_app.core.scope import Scope, actor_scope
from review_app.extensions import db
from review_app.members.identity import membership_scope, reach_of
from review_app.members.models import Membership, ScopeEntry
from review_app.sites.models import LocalSite, Region

FIELD = "scope"
# The regions and the local sites a limited membership names.
Places = tuple[list[Region], list[LocalSite]]


def _snapshot(membership: Membership) -> dict:
    return {
        "is_limited": membership.is_limited,
        "regions": sorted(e.region.code for e in membership.scope_entries if e.region),
        "local_sites": sorted(e.local_site.code for e in membership.scope_entries if e.local_site),
    }


def check_leader_scope(roles: RoleSet, limited: bool, reach: Scope) -> None:
    """Refuse a Site Leader who leads no local site: the role is for named local sites."""
    if roles.is_site_leader and (not limited or not reach.local_site_ids):
        raise OperationError(
            "A Site Leader leads named local sites: limit their access to the local sites "
            "(or a region of them) they lead.",
            FIELD,
        )


def _replace_entries(
    membership: Membership, regions: list[Region], local_sites: list[LocalSite]
) -> None:
    """Keep the entries still named, drop the others, add the new (one row per place)."""
    wanted: dict[tuple[str, int | None], Region | LocalSite] = {
        ("region", r.id): r for r in regions
    } | {("local", s.id): s for s in local_sites}
    kept = []
    for entry in membership.scope_entries:
        key = ("region", entry.region_id) if entry.region_id else ("local", entry.local_site_id)
        if wanted.pop(key, None) is not None:
            kept.append(entry)
    membership.scope_entries = kept
    db.session.flush()  # the dropped rows go before the new ones come
    for place in wanted.values():
        if isinstance(place, Region):
            entry = ScopeEntry(region=place)
        else:
            entry = ScopeEntry(local_site=place)
        membership.scope_entries.append(entry)
    db.session.flush()


def set_scope(
    actor: User | None,
    membership: Membership,
    limited: bool,
    regions: list[Region],
    local_sites: list[LocalSite],
) -> None:
    """Limit a membership to ``regions`` and ``local_sites``, or (not limited) open it site-wide.

    Refused, changing nothing, when a place is of another site, when a limited scope
    names nothing, when a Site Leader would lead no local site, or when ``actor`` (a
    state administrator limited to some local sites) would reach past their own scope.
    """
    site = membership.site
    places: list[Region | LocalSite] = [*regions, *local_sites]
    strangers = [place.name for place in places if place.site_id != site.id]
    if strangers:
        raise OperationError(
            f"Not a region or local site of {site.label}: {', '.join(strangers)}. "
            "Nothing was changed.",
            FIELD,
        )
    if limited and not regions and not local_sites:
        raise OperationError(
            "Choose at least one region or local site, or give access to the whole site.", FIELD
        )
    reach = reach_of(regions, [local.id for local in local_sites]) if limited else Scope()
    check_leader_scope(membership.roles, limited, reach)
    own = actor_scope(actor, site)
    if not own.contains(reach):
        raise OperationError(
            f"Your access reaches {own.label or 'part of the site'} only: you can give "
            "access inside it, not beyond.",
            FIELD,
        )
    before = _snapshot(membership)
    membership.is_limited = limited
    _replace_entries(membership, regions if limited else [], local_sites if limited else [])
    if before != _snapshot(membership):
        record(
            actor,
            "membership.scope",
            membership,
            f"Access of {membership.user.display_name}: "
            f"{membership_scope(membership).label or 'the whole site'}",
            site=site,
            before=before,
            after=_snapshot(membership),
        )
