"""Reads of a Site Leader's pages: the cases to assign and the progress board.

Every read is inside the current scope (``in_scope``): a Site Leader sees their
local sites, a state administrator or observer their own scope. The board's
figures are aggregates computed by the database, one statement each, whatever
the number of cases.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, DateTime, Float, Select, and_, case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.functions import FunctionElement

from review_app.accounts.models import User
from review_app.cases.models import Assignment, Case
from review_app.cases.states import CaseStatus
from review_app.core.models import count_if, utcnow
from review_app.core.scope import in_scope
from review_app.extensions import db
from review_app.qa.models import Thread
from review_app.sites.models import LocalSite, Site
from review_app.sites.queries import local_sites_in_scope

# The queues a case waits in, in the order the board lists them (QA level 2: two-level sites).
QUEUES = (CaseStatus.SUBMITTED, CaseStatus.QA1, CaseStatus.QA2, CaseStatus.RETURNED)
QUEUE_LABELS = {
    CaseStatus.SUBMITTED: "Waiting for QA level 1",
    CaseStatus.QA1: "In QA level 1",
    CaseStatus.QA2: "In QA level 2",
    CaseStatus.RETURNED: "Returned to the reviewers",
}
WITH_QA = (CaseStatus.SUBMITTED, CaseStatus.QA1, CaseStatus.QA2)
MOST_THREAD_CASES = 100  # cases listed with open comments; the totals count them all


class days_since(FunctionElement):  # noqa: N801 (an SQL function, named like one)
    """SQL: the days (with their fraction) from a timestamp column to a given moment."""

    type = Float()
    inherit_cache = True


@compiles(days_since)
def _days_sqlite(element, compiler, **kw):
    now, column = element.clauses
    return compiler.process(func.julianday(now) - func.julianday(column), **kw)


@compiles(days_since, "postgresql")
def _days_postgresql(element, compiler, **kw):
    now, column = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({now} - {column})) / 86400.0)"


def real_cases(site: Site) -> ColumnElement[bool]:
    """Cases of the site inside the current scope, leaving out answer keys and practice copies."""
    return and_(in_scope(Case, site), Case.is_key.is_(False), Case.key_case_id.is_(None))


# The Assign cases page.


@dataclass
class AssignFilters:
    local_site_id: int | None = None
    status: CaseStatus | None = None
    unassigned: bool = False  # only cases with no reviewer yet


def assignable(
    site: Site, filters: AssignFilters, page: int, per_page: int
) -> tuple[list[Case], int]:
    """Return one page of the cases in scope that are not closed, and how many there are."""
    statement: Select = select(Case).where(real_cases(site), Case.status.not_in(CaseStatus.CLOSED))
    if filters.local_site_id:
        statement = statement.where(Case.local_site_id == filters.local_site_id)
    if filters.status:
        statement = statement.where(Case.status == filters.status)
    if filters.unassigned:
        statement = statement.where(~Case.assignments.any())
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    rows = db.session.scalars(
        statement.join(Case.local_site)
        .options(
            joinedload(Case.local_site),
            joinedload(Case.period),
            selectinload(Case.assignments).joinedload(Assignment.user),
        )
        .order_by(LocalSite.name, Case.case_number, Case.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows.unique()), total


# The progress board.


@dataclass(frozen=True)
class Wait:
    """How long the cases of one queue and local site have waited, in days."""

    cases: int
    oldest: float
    median: float


@dataclass(frozen=True)
class ThreadCase:
    """A case with unresolved QA comments."""

    case_id: int
    case_number: str
    local_site_id: int
    open_threads: int
    oldest_days: float


@dataclass(frozen=True)
class Holding:
    """What one person holds in one local site: open cases per kind."""

    user_id: int
    name: str
    local_site_id: int
    first: int  # reviewers: being rated; QA holders: held at level 1
    second: int  # reviewers: submitted or in QA; QA holders: held at level 2


@dataclass
class Board:
    """The progress board of the local sites in scope."""

    local_sites: list[LocalSite]
    by_status: dict[int, dict[CaseStatus, int]] = field(default_factory=dict)
    waits: dict[tuple[int, CaseStatus], Wait] = field(default_factory=dict)
    thread_totals: dict[int, tuple[int, int]] = field(default_factory=dict)  # cases, threads
    thread_cases: list[ThreadCase] = field(default_factory=list)
    reviewers: list[Holding] = field(default_factory=list)
    holders: list[Holding] = field(default_factory=list)

    def count(self, local_site_id: int, status: CaseStatus) -> int:
        return self.by_status.get(local_site_id, {}).get(status, 0)

    def status_total(self, status: CaseStatus) -> int:
        return sum(counts.get(status, 0) for counts in self.by_status.values())

    def site_total(self, local_site_id: int) -> int:
        return sum(self.by_status.get(local_site_id, {}).values())

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.by_status.values())

    def local_site_name(self, local_site_id: int) -> str:
        return next((ls.name for ls in self.local_sites if ls.id == local_site_id), "")


def board(site: Site, period_id: int | None = None) -> Board:
    """Return the progress board of the current scope (one review period, or all)."""
    scope_cases = real_cases(site)
    if period_id:
        scope_cases = and_(scope_cases, Case.period_id == period_id)
    now = utcnow()
    result = Board(local_sites=local_sites_in_scope(site))
    for local_site_id, status, count in db.session.execute(
        select(Case.local_site_id, Case.status, func.count())
        .where(scope_cases)
        .group_by(Case.local_site_id, Case.status)
    ):
        result.by_status.setdefault(local_site_id, {})[CaseStatus(status)] = count
    result.waits = _waits(scope_cases, now)
    result.thread_totals, result.thread_cases = _open_threads(scope_cases, now)
    result.reviewers = _reviewers(scope_cases)
    result.holders = _holders(scope_cases)
    return result


def _waits(scope_cases: ColumnElement[bool], now: datetime) -> dict[tuple[int, CaseStatus], Wait]:
    """Return each queue's cases, oldest and median wait per local site (one statement).

    The median is the middle row's wait (the mean of the two middle rows' for an even
    count), found with window functions that both databases have.
    """
    waited = days_since(literal(now, DateTime()), Case.status_changed_at)
    group = (Case.local_site_id, Case.status)
    ranked = (
        select(
            Case.local_site_id.label("local_site_id"),
            Case.status.label("status"),
            waited.label("days"),
            func.row_number().over(partition_by=group, order_by=waited).label("position"),
            func.count().over(partition_by=group).label("cases"),
        )
        .where(scope_cases, Case.status.in_(QUEUES))
        .subquery()
    )
    # Whole-number division on both databases: rows (n+1)/2 and (n+2)/2 are the middle.
    middle = ranked.c.position.in_([(ranked.c.cases + 1) // 2, (ranked.c.cases + 2) // 2])
    rows = db.session.execute(
        select(
            ranked.c.local_site_id,
            ranked.c.status,
            func.max(ranked.c.cases),
            func.max(ranked.c.days),
            func.avg(case((middle, ranked.c.days))),
        ).group_by(ranked.c.local_site_id, ranked.c.status)
    )
    return {
        (local_site_id, CaseStatus(status)): Wait(int(cases), float(oldest), float(median))
        for local_site_id, status, cases, oldest, median in rows
    }


def _open_threads(
    scope_cases: ColumnElement[bool], now: datetime
) -> tuple[dict[int, tuple[int, int]], list[ThreadCase]]:
    """Return per local site (cases with open threads, open threads), and the cases listed."""
    open_on_cases = and_(scope_cases, Thread.is_open)
    totals = {
        local_site_id: (int(cases), int(threads))
        for local_site_id, cases, threads in db.session.execute(
            select(Case.local_site_id, func.count(func.distinct(Case.id)), func.count(Thread.id))
            .join(Thread, Thread.case_id == Case.id)
            .where(open_on_cases)
            .group_by(Case.local_site_id)
        )
    }
    oldest = func.max(days_since(literal(now, DateTime()), Thread.created_at))
    rows = db.session.execute(
        select(Case.id, Case.case_number, Case.local_site_id, func.count(Thread.id), oldest)
        .join(Thread, Thread.case_id == Case.id)
        .where(open_on_cases)
        .group_by(Case.id, Case.case_number, Case.local_site_id)
        .order_by(func.count(Thread.id).desc(), Case.case_number)
        .limit(MOST_THREAD_CASES)
    )
    cases = [
        ThreadCase(case_id, number, local_site_id, int(count), float(days))
        for case_id, number, local_site_id, count, days in rows
    ]
    return totals, cases


def _reviewers(scope_cases: ColumnElement[bool]) -> list[Holding]:
    """Return each reviewer's open cases per local site: being rated, and with QA."""
    rows = db.session.execute(
        select(
            User.id,
            User.display_name,
            Case.local_site_id,
            count_if(Case.status.in_(CaseStatus.EDITABLE)),
            count_if(Case.status.in_(WITH_QA)),
        )
        .select_from(Assignment)
        .join(Case, Case.id == Assignment.case_id)
        .join(User, User.id == Assignment.user_id)
        .where(scope_cases, Case.status.not_in(CaseStatus.CLOSED))
        .group_by(User.id, User.display_name, Case.local_site_id)
        .order_by(User.display_name, User.id, Case.local_site_id)
    )
    return [Holding(*row[:3], int(row[3]), int(row[4])) for row in rows]


def _holders(scope_cases: ColumnElement[bool]) -> list[Holding]:
    """Return each QA person's held cases per local site, at level 1 and level 2."""
    rows = db.session.execute(
        select(
            User.id,
            User.display_name,
            Case.local_site_id,
            count_if(Case.status == CaseStatus.QA1),
            count_if(Case.status == CaseStatus.QA2),
        )
        .select_from(Case)
        .join(User, User.id == Case.qa_holder_id)
        .where(scope_cases, Case.status.in_(CaseStatus.HELD_BY_QA))
        .group_by(User.id, User.display_name, Case.local_site_id)
        .order_by(User.display_name, User.id, Case.local_site_id)
    )
    return [Holding(*row[:3], int(row[3]), int(row[4])) for row in rows]
