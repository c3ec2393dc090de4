"""Reads about sites and local sites."""

from sqlalchemy import bindparam, false, func, select
from sqlalchemy.orm import joinedload, selectinload

from review_app.audit.models import AuditEntry
from review_app.core.scope import Scope, current_scope
from review_app.extensions import db
from review_app.sites.models import Jurisdiction, LocalSite, Region, Site


def local_sites(site: Site, active_only: bool = False) -> list[LocalSite]:
    """Return the site's local sites by name."""
    statement = (
        select(LocalSite)
        .where(LocalSite.site_id == site.id)
        .options(joinedload(LocalSite.region))
        .order_by(LocalSite.name)
    )
    if active_only:
        statement = statement.where(LocalSite.is_active)
    return list(db.session.scalars(statement))


def local_sites_in_scope(site: Site) -> list[LocalSite]:
    """Return the site's local sites the current person reaches (core/scope.py), by name.

    What a list offers to filter by: a local site outside the scope has no row to show.
    """
    statement = (
        select(LocalSite)
        .where(LocalSite.site_id == site.id, current_scope(site).condition(LocalSite.id))
        .options(joinedload(LocalSite.region))
        .order_by(LocalSite.name)
    )
    return list(db.session.scalars(statement))


def regions(site: Site) -> list[Region]:
    """Return the site's regions by name, each with its local sites."""
    return list(
        db.session.scalars(
            select(Region)
            .where(Region.site_id == site.id)
            .options(selectinload(Region.local_sites))
            .order_by(Region.name)
        )
    )


def regions_in_scope(site: Site) -> list[Region]:
    """Return the site's regions whose every local site the current person reaches.

    What a limited person may choose: a region reaching further would widen what they give.
    """
    scope = current_scope(site)
    return [
        region
        for region in regions(site)
        if scope.is_whole_site
        or (
            region.local_sites
            and scope.contains(Scope(frozenset(local.id for local in region.local_sites)))
        )
    ]


def jurisdiction_by_code(code: str) -> Jurisdiction | None:
    return db.session.scalar(select(Jurisdiction).where(Jurisdiction.code == code))


# Read on every site page, built once: the site and the id of its newest audit entry.
# Every change to a site's data writes an audit entry, so that id versions all of
# the site's data: what was computed or rendered at one version stays right until
# it moves (kept pages, kept report figures). Reads (downloads, API reads) are
# audited too but change nothing, so they are left out: one index read still.
_NEWEST_AUDIT_ENTRY = (
    select(func.max(AuditEntry.id))
    .where(AuditEntry.site_id == Site.id, AuditEntry.is_read_event == false())
    .scalar_subquery()
)
_SITE_BY_SLUG = (
    select(Site, _NEWEST_AUDIT_ENTRY)
    .join(Site.jurisdiction)
    .where(Jurisdiction.code == bindparam("code"), Site.kind == bindparam("kind"))
)


def site_with_version(code: str, kind: str) -> tuple[Site | None, int]:
    """Return the site ``code/kind`` (or None) and its version (0 before any change)."""
    row = db.session.execute(_SITE_BY_SLUG, {"code": code, "kind": kind}).first()
    return (row[0], row[1] or 0) if row else (None, 0)


def site_by_slug(code: str, kind: str) -> Site | None:
    """Return the site ``code/kind``, e.g. ``demo/cqi``, or None."""
    return site_with_version(code, kind)[0]
