"""Read a case sample from CSV or XLSX; check every row before anything is written."""

import csv
import io
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.facts import CaseFacts, check_facts
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.periods.models import ReviewPeriod

REQUIRED = ("case_number", "case_type", "local_site", "child_name")
OPTIONAL = (
    "child_birth_date",
    "family_name",
    "opened_on",
    "removal_on",
    "closed_on",
    "reviewers",
    "pur_start",
)
CASE_TYPE_WORDS = {
    "foster_care": "foster_care",
    "foster care": "foster_care",
    "fc": "foster_care",
    "in_home": "in_home",
    "in-home": "in_home",
    "in home": "in_home",
    "ih": "in_home",
    "in-home services": "in_home",
}
MAX_BYTES, MAX_ROWS = 5_000_000, 5_000


def _cell(value) -> str | date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return "" if value is None else str(value).strip()


def read_table(filename: str, data: bytes) -> list[tuple[int, dict]]:
    """Return (line number, row) pairs keyed by lowercase header; raise OperationError."""
    if len(data) > MAX_BYTES:
        raise OperationError(f"The file is larger than {MAX_BYTES // 1_000_000} MB.", "file")
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            lines = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception:  # openpyxl raises many kinds for a damaged file
            raise OperationError("The file is not a readable .xlsx workbook.", "file") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise OperationError(
                "The file is not UTF-8 text: save it as 'CSV UTF-8'.", "file"
            ) from None
        lines = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    if any("\x00" in str(cell) for row in lines for cell in row):
        raise OperationError(
            "The file contains NUL characters; save it again as plain CSV.", "file"
        )
    lines = [(n, row) for n, row in enumerate(lines, start=1) if any(c != "" for c in row)]
    if not lines:
        raise OperationError("The file is empty.", "file")
    header = [str(name).strip().lower().replace(" ", "_") for name in lines[0][1]]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name and name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        raise OperationError(
            f"Line 1: {'; '.join(parts)}. Columns: {', '.join(REQUIRED + OPTIONAL)}.", "file"
        )
    if len(lines) - 1 > MAX_ROWS:
        raise OperationError(f"The file has more than {MAX_ROWS} rows; split it.", "file")
    rows = []
    for number, cells in lines[1:]:
        if len(cells) > len(header) and any(c != "" for c in cells[len(header) :]):
            rows.append((number, {"__extra__": "yes"}))
            continue
        rows.append(
            (number, {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)})
        )
    return rows


def _date(value, problems: list[str], name: str) -> date | None:
    if isinstance(value, date) or value == "":
        return value or None
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    problems.append(f"{name}: {value!r} is not a date (use YYYY-MM-DD or MM/DD/YYYY)")
    return None


def check_rows(
    period: ReviewPeriod, rows: list[tuple[int, dict]]
) -> tuple[list[CaseFacts], list[str]]:
    """Turn rows into case facts; return them and one message per bad row."""
    locals_by_key = {}
    for local in period.local_sites:
        locals_by_key[local.code.lower()] = local
        locals_by_key[local.name.lower()] = local
    usernames = {
        u.strip().lower()
        for _, row in rows
        for u in str(row.get("reviewers", "")).replace(";", " ").split()
    }
    users = (
        {
            u.username: u
            for u in db.session.scalars(select(User).where(User.username.in_(usernames)))
        }
        if usernames
        else {}
    )
    facts_list, errors, seen = [], [], set()
    for number, row in rows:
        if "__extra__" in row:
            errors.append(f"Line {number}: more values than columns.")
            continue
        problems = []
        case_type = CASE_TYPE_WORDS.get(str(row["case_type"]).strip().lower(), "")
        reviewers = []
        for name in str(row.get("reviewers", "")).replace(";", " ").split():
            user = users.get(name.lower())
            if user is None:
                # Worded as for an account that is no reviewer here: nothing tells
                # whether the username exists in another state.
                problems.append(f"reviewers: {name.lower()} is not a reviewer on this site")
            else:
                reviewers.append(user)
        facts = CaseFacts(
            case_number=str(row["case_number"]),
            case_type=case_type,
            local_site=locals_by_key.get(str(row["local_site"]).strip().lower()),
            child_name=str(row["child_name"]),
            family_name=str(row.get("family_name", "")),
            child_birth_date=_date(row.get("child_birth_date", ""), problems, "child_birth_date"),
            opened_on=_date(row.get("opened_on", ""), problems, "opened_on"),
            removal_on=_date(row.get("removal_on", ""), problems, "removal_on"),
            closed_on=_date(row.get("closed_on", ""), problems, "closed_on"),
            pur_start=_date(row.get("pur_start", ""), problems, "pur_start"),
            reviewers=reviewers,
        )
        for name, message in check_facts(period, facts).items():
            problems.append(f"{name}: {message}")
        key = facts.case_number.strip()
        if key and key in seen:
            problems.append(f"case_number: {key} appears twice in the file")
        seen.add(key)
        if problems:
            errors.append(f"Line {number}: {'; '.join(problems)}.")
        else:
            facts_list.append(facts)
    return facts_list, errors
