"""Every change to jurisdictions, sites and local sites."""

import re

from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.sites.models import Jurisdiction, LocalSite, Region, Site
from review_app.sites.settings import SITE_KINDS

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,19}$")


def create_jurisdiction(actor: User | None, code: str, name: str) -> Jurisdiction:
    """Create a jurisdiction with its Training, CQI and CFSR sites."""
    code, name = code.strip().lower(), name.strip()
    if not CODE_PATTERN.match(code):
        raise OperationError(
            "Use 2 to 20 lowercase letters, digits or dashes, starting with a letter.", "code"
        )
    if not name:
        raise OperationError("Give the jurisdiction a name.", "name")
    if db.session.scalar(select(func.count()).where(Jurisdiction.code == code)):
        raise OperationError(f"There is already a jurisdiction with the code {code!r}.", "code")
    jurisdiction = Jurisdiction(code=code, name=name[:120])
    db.session.add(jurisdiction)
    for kind in SITE_KINDS:
        db.session.add(Site(jurisdiction=jurisdiction, kind=kind))
    record(
        actor,
        "jurisdiction.create",
        jurisdiction,
        f"Created jurisdiction {code} with its sites",
        after={"code": code, "name": name, "sites": list(SITE_KINDS)},
    )
    return jurisdiction


def _local_site_snapshot(local_site: LocalSite) -> dict:
    return {"code": local_site.code, "name": local_site.name, "is_active": local_site.is_active}


def check_unique_place(
    model: type[LocalSite] | type[Region],
    site: Site,
    code: str,
    name: str,
    exclude_id: int | None,
    noun: str,
) -> None:
    """Refuse a local site or region without a code or name, or one another of the site has.

    Case-insensitive, as period names: "Adams County" and "ADAMS COUNTY" would be mixed up.
    """
    for column, value, field in ((model.code, code, "code"), (model.name, name, "name")):
        if not value:
            raise OperationError(f"Give the {noun} a {field}.", field)
        statement = select(func.count()).where(
            model.site_id == site.id, func.lower(column) == value.lower()
        )
        if exclude_id is not None:
            statement = statement.where(model.id != exclude_id)
        if db.session.scalar(statement):
            raise OperationError(
                f"Another {noun} of this site already has the {field} {value!r}.", field
            )


def create_local_site(
    actor: User | None, site: Site, code: str, name: str, is_active: bool = True
) -> LocalSite:
    """Add a county or office to a site."""
    code, name = code.strip(), name.strip()
    check_unique_place(LocalSite, site, code, name, None, "local site")
    local_site = LocalSite(site=site, code=code, name=name, is_active=is_active)
    db.session.add(local_site)
    record(
        actor,
        "local_site.create",
        local_site,
        f"Added local site {name}",
        site=site,
        after=_local_site_snapshot(local_site),
    )
    return local_site


def update_local_site(
    actor: User | None, local_site: LocalSite, code: str, name: str, is_active: bool
) -> None:
    """Rename, recode, activate or deactivate a local site."""
    code, name = code.strip(), name.strip()
    check_unique_place(LocalSite, local_site.site, code, name, local_site.id, "local site")
    before = _local_site_snapshot(local_site)
    local_site.code, local_site.name, local_site.is_active = code, name, is_active
    if before != _local_site_snapshot(local_site):
        record(
            actor,
            "local_site.update",
            local_site,
            f"Edited local site {name}",
            site=local_site.site,
            before=before,
            after=_local_site_snapshot(local_site),
        )


SMALL_CELL_RANGE = (1, 100)


def set_small_cell_minimum(actor: User | None, site: Site, minimum: int) -> None:
    """Set the number of cases below which the site's aggregate figures say "fewer than N"."""
    low, high = SMALL_CELL_RANGE
    if not low <= minimum <= high:
        raise OperationError(
            f"Give a whole number of cases from {low} to {high}.", "small_cell_minimum"
        )
    before = site.small_cell_minimum
    if before == minimum:
        return
    site.small_cell_minimum = minimum
    record(
        actor,
        "site.privacy",
        site,
        f"Figures over fewer than {minimum} cases are now hidden (were {before})",
        site=site,
        before={"small_cell_minimum": before},
        after={"small_cell_minimum": minimum},
    )
