"""Read a CSV of a site's regions: every row is checked before anything is written.

One row per local site: ``region_code, region_name, local_site_code``. Each region
the file names gets exactly the local sites listed for it (a local site in another
region moves); regions the file does not name keep theirs, less those that move.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from review_app.core.tables import Limits, TableError, messages, read_table
from review_app.extensions import db
from review_app.sites.models import LocalSite, Region, Site

COLUMNS = ("region_code", "region_name", "local_site_code")
LIMITS = Limits(rows=2_000, bytes=500_000)
CODE = re.compile(r"[A-Za-z0-9._-]{1,20}")  # as the region form's


@dataclass
class RegionRows:
    """A region as the file gives it: its first line, name and local sites."""

    line: int
    code: str
    name: str
    local_sites: list[LocalSite] = field(default_factory=list)


def _file_faults(filename: str, data: bytes) -> tuple[list[dict], list[str]]:
    """Return the file's rows, or none and its faults, each naming the file."""
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "the file"
    if not name.lower().endswith(".csv"):
        return [], [f"“{name}” is not a CSV file: save the sheet as “CSV UTF-8” and import that."]
    try:
        return read_table(name, data, COLUMNS, (), LIMITS), []
    except TableError as error:
        return [], [m if name in m else f"“{name}”: {m}" for m in messages(error)]


def check_file(site: Site, filename: str, data: bytes) -> tuple[list[RegionRows], list[str]]:
    """Return the regions the file sets, or none and one message per bad row (or file fault)."""
    rows, faults = _file_faults(filename, data)
    if faults:
        return [], faults
    local_sites = {
        local.code.lower(): local
        for local in db.session.scalars(select(LocalSite).where(LocalSite.site_id == site.id))
    }
    elsewhere = _local_sites_elsewhere(site, rows, local_sites)
    regions: dict[str, RegionRows] = {}
    placed: dict[str, int] = {}  # local site code -> the line that placed it
    errors = []
    for row in rows:
        line, problems = row["_line"], []
        code, name, local_code = row["region_code"], row["region_name"], row["local_site_code"]
        if row["_extra"]:
            problems.append("more values than columns")
        empty = [column for column in COLUMNS if not row[column]]
        if empty:
            problems.append(f"{', '.join(empty)}: empty")
        if code and not CODE.fullmatch(code):
            problems.append(
                "region_code: use at most 20 letters, digits, dots, dashes or underscores"
            )
        if len(name) > 120:
            problems.append("region_name: at most 120 characters")
        region = regions.get(code.lower()) if code else None
        if region is not None and name and name != region.name:
            problems.append(
                f"region_name: region {code} is named “{region.name}” on line {region.line}"
            )
        local = local_sites.get(local_code.lower()) if local_code else None
        if local_code and local is None:
            other = elsewhere.get(local_code.lower())
            problems.append(
                f"local_site_code: {local_code} is a local site of {other}, not of this site"
                if other
                else f"local_site_code: no local site of this site has the code {local_code}"
            )
        elif local is not None and local.code.lower() in placed:
            problems.append(
                f"local_site_code: {local.name} is named twice "
                f"(also on line {placed[local.code.lower()]})"
            )
        if problems:
            errors.append(f"Line {line}: {'; '.join(problems)}.")
            continue
        assert local is not None
        placed[local.code.lower()] = line
        region = regions.setdefault(code.lower(), RegionRows(line, code, name))
        region.local_sites.append(local)
    errors.extend(_name_clashes(site, list(regions.values())))
    errors.sort(key=lambda message: int(message.split(":")[0].removeprefix("Line ")))
    return ([], errors) if errors else (list(regions.values()), [])


def _local_sites_elsewhere(site: Site, rows: list[dict], here: dict[str, LocalSite]) -> dict:
    """Return, for each unknown code of the file, the name of another site that has it."""
    unknown = {row["local_site_code"].lower() for row in rows} - set(here) - {""}
    if not unknown:
        return {}
    found = db.session.execute(
        select(func.lower(LocalSite.code), Site)
        .join(Site, Site.id == LocalSite.site_id)
        .where(
            Site.jurisdiction_id == site.jurisdiction_id,
            Site.id != site.id,
            func.lower(LocalSite.code).in_(sorted(unknown)),
        )
    ).all()
    return {code: other.label for code, other in found}


def _name_clashes(site: Site, regions: list[RegionRows]) -> list[str]:
    """Return a message for each region whose name another region has (in the file or not)."""
    errors = []
    codes = {region.code.lower() for region in regions}
    taken = {
        name.lower(): code
        for code, name in db.session.execute(
            select(Region.code, Region.name).where(Region.site_id == site.id)
        )
        if code.lower() not in codes
    }
    seen: dict[str, RegionRows] = {}
    for region in regions:
        key = region.name.lower()
        if key in taken:
            errors.append(
                f"Line {region.line}: region_name: the region {taken[key]} of this site is "
                f"already named “{region.name}”."
            )
        elif key in seen:
            errors.append(
                f"Line {region.line}: region_name: “{region.name}” also names region "
                f"{seen[key].code} (line {seen[key].line})."
            )
        seen.setdefault(key, region)
    return errors
