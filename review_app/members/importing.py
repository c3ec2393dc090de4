"""Read a CSV of people to add to a site, checking every row before anything is written."""

import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from review_app.accounts.models import User
from review_app.accounts.operations import USERNAME_PATTERN, normalise_username
from review_app.accounts.passwords import check_new_password
from review_app.core.errors import OperationError
from review_app.core.roles import RoleSet
from review_app.core.scope import Scope
from review_app.core.tables import Limits, TableError, messages, read_table
from review_app.members.identity import reach_of
from review_app.sites.models import LocalSite, Region

COLUMNS = ("username", "display_name", "email", "roles")
# scope: region or local site codes apart by ";", "," or spaces ("N;003"); empty: the
# whole site.
OPTIONAL_COLUMNS = ("password", "scope")
# The regions and local sites a row limits access to; None: the whole site.
RowPlaces = tuple[list[Region], list[LocalSite]] | None
LIMITS = Limits(rows=5_000, bytes=2_000_000)
CHECKED_STEP = 500  # rows checked between two reports of progress
# A chosen password is hashed with scrypt (about 135 ms): 40 of them take about 5 s.
MAX_CHOSEN_PASSWORDS = 40


@dataclass
class ImportRow:
    line: int
    username: str
    display_name: str
    email: str
    roles: RoleSet
    password: str
    existing: User | None = None
    places: RowPlaces = None


@dataclass
class ImportCheck:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "Line 3: ..." for each bad row


def read_file(
    filename: str,
    data: bytes,
    columns: tuple[str, ...] = COLUMNS,
    optional: tuple[str, ...] = OPTIONAL_COLUMNS,
    limits: Limits = LIMITS,
) -> tuple[list[dict], list[str]]:
    """Return the file's rows keyed by lowercase column, or no rows and the file's fault.

    Each row carries its ``_line`` and ``_extra`` (more values than columns), so
    that it is reported together with every other bad row; blank rows, which
    spreadsheets write after the data, are left out (review_app/core/tables.py).
    """
    try:
        return read_table(filename, data, columns, optional, limits), []
    except TableError as error:
        return [], messages(error)


def is_email(text: str) -> bool:
    """Tell whether the add and edit forms would accept ``text`` as an email address."""
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return len(text) <= 254


@dataclass
class ScopeReader:
    """Reads a row's scope column against the site's places and the importer's own scope."""

    regions: list[Region]
    local_sites: list[LocalSite]
    own: Scope  # the importing administrator's: a row may not reach past it

    def read(self, text: str, roles: RoleSet) -> tuple[RowPlaces, list[str]]:
        """Return the places a row names (None: the whole site) and what is wrong with them."""
        regions = {region.code.lower(): region for region in self.regions}
        local_sites = {local.code.lower(): local for local in self.local_sites}
        codes = [code for code in re.split(r"[\s,;]+", text) if code]
        if not codes:
            if not self.own.is_whole_site:
                return None, [
                    f"scope: your access reaches {self.own.label} only: give the regions or "
                    "local sites (inside it) this person may reach"
                ]
            if roles.is_site_leader:
                return None, ["scope: a Site Leader leads named local sites: give their codes"]
            return None, []
        problems = []
        named_regions: list[Region] = []
        named_locals: list[LocalSite] = []
        for code in dict.fromkeys(codes):
            region, local = regions.get(code.lower()), local_sites.get(code.lower())
            if region is not None and local is not None:
                problems.append(f"scope: {code} is both a region and a local site of this site")
            elif region is not None:
                named_regions.append(region)
            elif local is not None:
                named_locals.append(local)
            else:
                problems.append(f"scope: no region or local site of this site has the code {code}")
        reach = reach_of(named_regions, [local.id for local in named_locals])
        if not problems and roles.is_site_leader and not reach.local_site_ids:
            problems.append("scope: a Site Leader leads named local sites: name at least one")
        if not problems and not self.own.contains(reach):
            problems.append(f"scope: outside your access, which reaches {self.own.label} only")
        return (named_regions, named_locals), problems


def check_row(
    raw: dict,
    seen: set[str],
    existing: dict[str, User],
    members: set[int],
    max_qa_level: int,
    scope: ScopeReader | None = None,
) -> tuple[ImportRow | None, list[str]]:
    """Check one row against the rules and what already exists."""
    line, problems = raw["_line"], []
    if raw["_extra"]:
        problems.append("more values than columns")
    username = normalise_username(raw["username"])
    if not USERNAME_PATTERN.match(username):
        problems.append(
            "username: use 2 to 80 lowercase letters, digits, dots, dashes or underscores"
        )
    elif username in seen:
        problems.append(f"username: {username} appears twice in the file")
    seen.add(username)
    try:
        # Codes apart by spaces, semicolons or commas: "reviewer qa1", "reviewer, qa1".
        roles = RoleSet.from_codes(
            {code for code in re.split(r"[\s,;]+", raw["roles"].lower()) if code}
        )
        if roles.is_empty:
            problems.append("roles: give at least one role")
        elif roles.qa_level and roles.qa_level > max_qa_level:
            problems.append("roles: this site has only QA level 1")
    except ValueError as exc:
        roles = RoleSet()
        problems.append(f"roles: {exc}")
    places: RowPlaces = None
    if scope is not None:
        places, scope_problems = scope.read(raw.get("scope", ""), roles)
        problems.extend(scope_problems)
    user = existing.get(username)
    if user is not None and user.id in members:
        problems.append(f"username: {username} already has access to this site")
    if user is None:
        if len(raw["display_name"]) > 120:
            problems.append("display_name: at most 120 characters")
        if raw["email"] and not is_email(raw["email"]):
            problems.append("email: not an email address")
        if raw.get("password"):
            try:
                check_new_password(raw["password"], username, raw["display_name"], raw["email"])
            except OperationError as error:
                problems.append(f"password: {error.message}")
    if problems:
        return None, [f"Line {line}: {'; '.join(problem.rstrip('.') for problem in problems)}."]
    return ImportRow(
        line,
        username,
        raw["display_name"],
        raw["email"],
        roles,
        raw.get("password", ""),
        user,
        places,
    ), []
