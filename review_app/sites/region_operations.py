"""Every change to a site's regions: groups of its local sites that access can be limited to."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.sites import region_importing
from review_app.sites.models import LocalSite, Region, Site
from review_app.sites.operations import check_unique_place
from review_app.sites.signals import people_limited_to, region_removing

SHOWN_NAMES = 5  # people named in the refusal to remove a region in use


def _snapshot(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "local_sites": sorted(local.code for local in region.local_sites),
    }


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
    check_unique_place(Region, site, code, name, None, "region")
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
    check_unique_place(Region, region.site, code, name, region.id, "region")
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


def remove_region(actor: User | None, region: Region) -> None:
    """Remove a region; its local sites stay, in no region.

    Refused, changing nothing, while the region limits someone's access: removing it
    would leave them with less (or, named nowhere else, nothing) without a word.
    """
    people = people_limited_to(region)
    if people:
        named = ", ".join(people[:SHOWN_NAMES])
        more = f" and {len(people) - SHOWN_NAMES} more" if len(people) > SHOWN_NAMES else ""
        count = f"{len(people)} person" if len(people) == 1 else f"{len(people)} people"
        raise OperationError(
            f"{region.name} limits the access of {count} ({named}{more}). Change their "
            "access on the users page first; nothing was removed."
        )
    before = _snapshot(region)
    site = region.site
    region_removing.send(region)
    for local in list(region.local_sites):
        local.region = None
    record(
        actor, "region.remove", region, f"Removed region {region.name}", site=site, before=before
    )
    db.session.delete(region)
    db.session.flush()


def import_regions(actor: User | None, site: Site, filename: str, data: bytes) -> list[str]:
    """Set the regions a CSV names (region_importing.py), all of them or, on any fault, none.

    Return the faults (one per bad row, or the file's), empty when imported.
    """
    rows, faults = region_importing.check_file(site, filename, data)
    if faults:
        return faults
    existing = {
        region.code.lower(): region
        for region in db.session.scalars(select(Region).where(Region.site_id == site.id))
    }
    for row in rows:
        region = existing.get(row.code.lower())
        if region is None:
            create_region(actor, site, row.code, row.name, row.local_sites)
        else:
            update_region(actor, region, row.code, row.name, row.local_sites)
    record(
        actor,
        "region.import",
        site,
        f"Imported {len(rows)} region(s) from a file",
        site=site,
        after={"regions": sorted(row.code for row in rows)},
    )
    return []
