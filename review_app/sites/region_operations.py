"""Every change to a site's regions: groups of its local sites that access can be limited to."""

from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.sites.models import LocalSite, Region, Site


def _snapshot(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "local_sites": sorted(local.code for local in region.local_sites),
    }


def _check_unique(site: Site, code: str, name: str, exclude_id: int | None) -> None:
    for column, value, field in ((Region.code, code, "code"), (Region.name, name, "name")):
        if not value:
            raise OperationError(f"Give the region a {field}.", field)
        statement = select(func.count()).where(
            Region.site_id == site.id, func.lower(column) == value.lower()
        )
        if exclude_id is not None:
            statement = statement.where(Region.id != exclude_id)
        if db.session.scalar(statement):
            raise OperationError(
                f"Another region of this site already has the {field} {value!r}.", field
            )


def _check_local_sites(site: Site, local_sites: list[LocalSite]) -> None:
    strangers = [local.name for local in local_sites if local.site_id != site.id]
    if strangers:
        raise OperationError(
            f"Not a local site of this site: {', '.join(strangers)}. Nothing was changed.",
            "local_sites",
        )


def create_region(
    actor: User | None, site: Site, code: str, name: str, local_sites: list[LocalSite]
) -> Region:
    """Add a region of ``local_sites`` (each leaves the region it was in)."""
    code, name = code.strip(), name.strip()
    _check_unique(site, code, name, None)
    _check_local_sites(site, local_sites)
    region = Region(site=site, code=code, name=name)
    db.session.add(region)
    region.local_sites = list(local_sites)
    db.session.flush()
    record(
        actor,
        "region.create",
        region,
        f"Added region {name}",
        site=site,
        after=_snapshot(region),
    )
    return region


def update_region(
    actor: User | None, region: Region, code: str, name: str, local_sites: list[LocalSite]
) -> None:
    """Rename or recode a region and set its local sites (others leave it)."""
    code, name = code.strip(), name.strip()
    _check_unique(region.site, code, name, region.id)
    _check_local_sites(region.site, local_sites)
    before = _snapshot(region)
    region.code, region.name = code, name
    region.local_sites = list(local_sites)
    db.session.flush()
    if before != _snapshot(region):
        record(
            actor,
            "region.update",
            region,
            f"Edited region {name}",
            site=region.site,
            before=before,
            after=_snapshot(region),
        )
