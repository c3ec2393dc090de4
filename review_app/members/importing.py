"""Read a CSV of people to add to a site, checking every row before anything is written."""

import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from review_app.accounts.models import User
from review_app.accounts.operations import USERNAME_PATTERN, normalise_username
from review_app.accounts.passwords import check_new_password
from review_app.core.errors import OperationError
from review_app.core.roles import RoleSet
from review_app.core.tables import Limits, TableError, messages, read_table

COLUMNS = ("username", "display_name", "email", "roles")
OPTIONAL_COLUMNS = ("password",)
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


def check_row(
    raw: dict, seen: set[str], existing: dict[str, User], members: set[int], max_qa_level: int
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
        line, username, raw["display_name"], raw["email"], roles, raw.get("password", ""), user
    ), []
