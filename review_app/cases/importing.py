"""Read a case sample from CSV or XLSX; check every row before anything is written."""

import re
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.demographics import Category, categories
from review_app.cases.facts import CaseFacts, FactLookups, fact_errors, reviewer_reach
from review_app.cases.models import Case
from review_app.core.scope import WHOLE_SITE, Scope
from review_app.core.tables import Limits, read_table
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
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
    "child_sex",
    "child_race",  # several separated by ";"
    "child_hispanic",
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
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LIMITS = Limits(rows=5_000, bytes=5_000_000)
CHECKED_STEP = 500  # rows checked between two reports of progress


def read_rows(filename: str, data: bytes) -> list[dict]:
    """Return the file's rows keyed by column (see review_app/core/tables.py); raise TableError."""
    return read_table(filename, data, REQUIRED, OPTIONAL, LIMITS, xlsx=True)


def _date(value, problems: list[str], name: str) -> date | None:
    if isinstance(value, date) or value == "":
        return value or None
    if ISO_DATE.fullmatch(value):  # the common case, without strptime's cost
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    problems.append(f"{name}: {value!r} is not a date (use YYYY-MM-DD or MM/DD/YYYY)")
    return None


def check_rows(
    period: ReviewPeriod,
    rows: list[dict],
    progress: Callable[[int], None] | None = None,
    scope: Scope = WHOLE_SITE,
) -> tuple[list[CaseFacts], list[str]]:
    """Turn rows into case facts; return them and one message per bad row.

    A row naming a local site outside ``scope`` (the importing person's) is a bad row.

    The database is read once for all rows (local sites, reviewers, case numbers
    already in the period), never once per row. ``progress`` is told how many more
    rows were checked, every CHECKED_STEP rows and at the end.
    """
    locals_by_key = {}
    for local in period.local_sites:
        locals_by_key[local.code.lower()] = local
        locals_by_key[local.name.lower()] = local
    usernames = {u.strip().lower() for row in rows for u in _names(row.get("reviewers", ""))}
    users = (
        {
            u.username: u
            for u in db.session.scalars(select(User).where(User.username.in_(usernames)))
        }
        if usernames
        else {}
    )
    numbers = {str(row["case_number"]).strip() for row in rows} - {""}
    reach = reviewer_reach(period.site_id, [user.id for user in users.values()])
    lookups = FactLookups(
        taken=set(
            db.session.scalars(
                select(Case.case_number).where(
                    Case.period_id == period.id, Case.case_number.in_(numbers)
                )
            )
        )
        if numbers
        else set(),
        reviewer_ids=set(reach),
        reach=reach,
    )
    declared = categories(get_instrument(period.instrument_version))
    facts_list, errors, seen = [], [], set()
    for checked, row in enumerate(rows, start=1):
        if progress is not None and checked % CHECKED_STEP == 0:
            progress(CHECKED_STEP)
        number = row["_line"]
        if row["_extra"]:
            errors.append(f"Line {number}: more values than columns.")
            continue
        problems = []
        case_type = CASE_TYPE_WORDS.get(str(row["case_type"]).strip().lower(), "")
        reviewers = []
        for name in _names(row.get("reviewers", "")):
            user = users.get(name.lower())
            if user is None or user.id not in lookups.reviewer_ids:
                # One wording, in one place, for an unknown username and for an account
                # that is no reviewer here: nothing tells whether it exists elsewhere.
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
            child_sex=_code(declared.get("sex"), row.get("child_sex", "")),
            child_races=list(
                dict.fromkeys(
                    _code(declared.get("race"), part)
                    for part in str(row.get("child_race", "")).split(";")
                    if part.strip()
                )
            ),
            child_hispanic=_code(declared.get("hispanic"), row.get("child_hispanic", "")),
        )
        found = fact_errors(period, facts, lookups)
        for name, message in found.items():
            # Each message is a sentence; the row's list ends with the one full stop.
            problems.append(f"{name}: {message.rstrip('.')}")
        if "local_site" not in found and facts.local_site and not scope.covers(facts.local_site.id):
            problems.append(
                f"local_site: {facts.local_site.name} is outside the local sites you manage "
                f"({scope.label})"
            )
        key = facts.case_number.strip()
        if key and key in seen:
            problems.append(f"case_number: {key} appears twice in the file")
        seen.add(key)
        if problems:
            errors.append(f"Line {number}: {'; '.join(problems)}.")
        else:
            facts_list.append(facts)
    if progress is not None and len(rows) % CHECKED_STEP:
        progress(len(rows) % CHECKED_STEP)
    return facts_list, errors


def _code(category: Category | None, cell) -> str:
    """Return the code a cell names by code or label; the text itself when it names none.

    An unknown value stays as written, so the checks name it in the row's message.
    """
    text = str(cell).strip()
    if not text or category is None:
        return text
    return category.code_of(text) or text


def _names(cell) -> list[str]:
    return str(cell).replace(";", " ").split()


def _months_before(day: date, months: int) -> date:
    """Return the first day of the month ``months`` before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def example(periods: list[ReviewPeriod], reviewers: list[User], scope: Scope = WHOLE_SITE) -> str:
    """Return a two-row CSV sample that imports as shown into any of these open periods.

    It names local sites every period covers and reviewers of the site, and has a
    ``pur_start`` column when a period has an open start (the column is ignored
    for a period with a fixed start). Dates are placed before the earliest end.
    Its local sites are inside ``scope`` (the importing person's).
    """
    columns = [
        "case_number",
        "case_type",
        "local_site",
        "child_name",
        "child_birth_date",
        "opened_on",
        "reviewers",
    ]
    end = min((period.pur_end for period in periods), default=date(2026, 9, 30))
    shared = (
        [local for local in periods[0].local_sites if local.is_active and scope.covers(local.id)]
        if periods
        else []
    )
    for period in periods[1:]:
        shared = [local for local in shared if local in period.local_sites]
    places = [shared[0].code, shared[-1].name] if shared else ["001", "Baker County"]
    names = [user.username for user in reviewers[:2]]
    rows = [
        ["FC-1001", "foster_care", places[0], "A.B.", date(end.year - 10, 3, 2),
         _months_before(end, 10), " ".join(names)],
        ["IH-2001", "in_home", places[1], "C.D.", date(end.year - 6, 7, 21),
         _months_before(end, 8), " ".join(names[:1])],
    ]  # fmt: skip
    if any(period.pur_start is None for period in periods):
        columns.append("pur_start")
        for row in rows:
            row.append(_months_before(end, 6))
    declared = [categories(get_instrument(period.instrument_version)) for period in periods]
    if declared and all({"sex", "race"} <= set(found) for found in declared):
        # The first declared values every period's instrument has, by code; races by ";".
        sexes = [
            code
            for code in declared[0]["sex"].choices
            if all(code in d["sex"].choices for d in declared)
        ]
        races = [
            code
            for code in declared[0]["race"].choices
            if all(code in d["race"].choices for d in declared)
        ]
        if sexes and len(races) >= 2:
            columns += ["child_sex", "child_race"]
            rows[0] += [sexes[0], ";".join(races[:2])]
            rows[1] += [sexes[-1], races[0]]
    lines = [columns] + [[str(value) for value in row] for row in rows]
    return "\n".join(",".join(line) for line in lines)
