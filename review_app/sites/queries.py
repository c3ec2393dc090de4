"""Reads about sites and local sites."""

from sqlalchemy import bindparam, select

from review_app.extensions import db
from review_app.sites.models import Jurisdiction, LocalSite, Site


def local_sites(site: Site, active_only: bool = False) -> list[LocalSite]:
    """Return the site's local sites by name."""
    statement = select(LocalSite).where(LocalSite.site_id == site.id).order_by(LocalSite.name)
    if active_only:
        statement = statement.where(LocalSite.is_active)
    return list(db.session.scalars(statement))


def jurisdiction_by_code(code: str) -> Jurisdiction | None:
    return db.session.scalar(select(Jurisdiction).where(Jurisdiction.code == code))


# Read on every site page: built once.
_SITE_BY_SLUG = (
    select(Site)
    .join(Site.jurisdiction)
    .where(Jurisdiction.code == bindparam("code"), Site.kind == bindparam("kind"))
)


def site_by_slug(code: str, kind: str) -> Site | None:
    """Return the site ``code/kind``, e.g. ``demo/cqi``, or None."""
    return db.session.scalar(_SITE_BY_SLUG, {"code": code, "kind": kind})
