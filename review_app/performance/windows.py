"""Figures over windows of time, across review periods.

A case counts in a window by the day its review was finalized: a CQI site
reviews cases all year, and program improvement is measured over "the last 12
months of finalized reviews", whichever periods the cases were sampled in.
Windows are half open: ``start`` is the first day counted, ``end`` the first
day that is not.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.core.scope import in_scope
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument, newest_instrument
from review_app.instruments.model import Instrument
from review_app.performance.queries import (
    Figure,
    Split,
    item_counts,
    outcome_counts,
    rating_columns,
    subitem_counts,
)
from review_app.periods.models import ReviewPeriod

Month = tuple[int, int]


@dataclass(frozen=True)
class Window:
    """The finalized cases of ``start`` up to (not including) ``end``."""

    start: date
    end: date

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    @property
    def label(self) -> str:
        """Return the window in words: "2026 Q1", or "Apr 2025 to Mar 2026"."""
        if self.months == 3 and self.start.month % 3 == 1 and self.start.day == 1:
            return f"{self.start.year} Q{self.start.month // 3 + 1}"
        last = months_after(self.end, -1)
        return f"{self.start:%b %Y} to {last:%b %Y}"


# Reaches back before any review: every finalized case counts in a statement over it.
EVERY_DAY = Window(date(1900, 1, 1), date(9999, 1, 1))


def months_after(day: date, months: int) -> date:
    """Return the first day of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_start(day: date) -> date:
    """Return the first day of the calendar quarter ``day`` falls in."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarters(first: date, last: date) -> list[Window]:
    """Return the calendar quarters from the one holding ``first`` to the one holding ``last``."""
    start, windows = quarter_start(first), []
    while start <= last:
        windows.append(Window(start, months_after(start, 3)))
        start = months_after(start, 3)
    return windows


def rolling(ends: list[Window], months: int = 12) -> list[Window]:
    """Return the window of ``months`` months that ends where each of ``ends`` ends."""
    return [Window(months_after(window.end, -months), window.end) for window in ends]


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min)


def finalized_conditions(site_id: int) -> list[ColumnElement[bool]]:
    """Return the conditions on ``Case`` that pick the site's finalized reviews.

    Only those of the local sites the current person (or job) reaches count
    (core/scope.py): every figure over windows is computed inside the scope.
    A Training site's answer keys are the experts' ratings, not cases: never counted.
    """
    return [in_scope(Case, site_id), Case.status == CaseStatus.FINALIZED, ~Case.is_key]


def window_conditions(
    site_id: int, window: Window, local_site_id: int | None = None
) -> list[ColumnElement[bool]]:
    """Return the conditions on ``Case`` that pick the site's cases finalized in the window
    (in one local site's, when given)."""
    conditions = [
        *finalized_conditions(site_id),
        Case.finalized_at >= _moment(window.start),
        Case.finalized_at < _moment(window.end),
    ]
    if local_site_id:
        conditions.append(Case.local_site_id == local_site_id)
    return conditions


def finalized_span(site_id: int) -> tuple[date, date] | None:
    """Return the days of the site's first and last finalized review, or None if none is."""
    first, last = db.session.execute(
        select(db.func.min(Case.finalized_at), db.func.max(Case.finalized_at)).where(
            *finalized_conditions(site_id)
        )
    ).one()
    if first is None or last is None:
        return None
    return first.date(), last.date()


def site_instrument(site_id: int) -> Instrument | None:
    """Return the instrument of the site's newest review period (which items apply to what)."""
    version = db.session.scalar(
        select(ReviewPeriod.instrument_version)
        .where(ReviewPeriod.site_id == site_id)
        .order_by(ReviewPeriod.pur_end.desc(), ReviewPeriod.id.desc())
        .limit(1)
    )
    return get_instrument(version) if version else newest_instrument()


class month_of(FunctionElement):  # noqa: N801 (an SQL function, named like one)
    """SQL: the month a timestamp falls in, as one value to group by.

    One column rather than year and month: PostgreSQL then counts in a hash
    table, where two ``extract`` columns made it sort every rating (spilling to
    disk at 100,000 cases, see bench/README.md).
    """

    inherit_cache = True


@compiles(month_of)
def _month_sqlite(element, compiler, **kw):
    return compiler.process(func.strftime(literal_column("'%Y-%m'"), *element.clauses), **kw)


@compiles(month_of, "postgresql")
def _month_postgresql(element, compiler, **kw):
    return compiler.process(func.date_trunc(literal_column("'month'"), *element.clauses), **kw)


def month_key(value) -> Month:
    """Return (year, month) of a ``month_of`` value: "2026-03" (SQLite) or a timestamp."""
    if isinstance(value, str):
        return int(value[:4]), int(value[5:7])
    return value.year, value.month


@dataclass
class MonthlyCounts:
    """Counts per month of finalization: {(year, month): {item or outcome id: Split}}."""

    kind: str
    by_month: dict[Month, dict[str, Split]] = field(default_factory=dict)

    def figure(self, key: str, window: Window, case_type: str = "") -> Figure:
        """Return the figure of one item or outcome over ``window`` ("": both case types).

        Exact for windows of whole months, or when the counts were read for this
        window (``trends.figure_over``); otherwise the months the window touches count whole.
        """
        total = Figure()
        for month in _months(window):
            split = self.by_month.get(month, {}).get(key)
            if split is not None:
                total.add(split.by_type.get(case_type, Figure()) if case_type else split.overall)
        return total

    def series(self, key: str, windows: list[Window], case_type: str = "") -> list[Figure]:
        """Return the figure of one item or outcome over each of ``windows``."""
        return [self.figure(key, window, case_type) for window in windows]


def _months(window: Window) -> list[Month]:
    """Return every month the window touches (all of it, for windows of whole months)."""
    last = window.end - timedelta(days=1)
    count = (last.year - window.start.year) * 12 + last.month - window.start.month + 1
    days = [months_after(window.start, step) for step in range(max(count, 0))]
    return [(day.year, day.month) for day in days]


def monthly_counts(
    site_id: int,
    kind: str,
    instrument: Instrument | None = None,
    local_site_id: int | None = None,
    window: Window = EVERY_DAY,
    ids: Collection[str] | None = None,
    narrowed: Sequence[ColumnElement[bool]] = (),
) -> MonthlyCounts:
    """Count the site's finalized cases per month, item (sub-item, outcome) and case type.

    One statement. ``instrument`` says which items apply to which case type (the
    site's newest period's when not given); ``window`` narrows the months read,
    ``ids`` the items (outcomes) counted, ``narrowed`` the cases (more conditions
    on ``Case``, such as the child's demographics).
    """
    conditions = [*window_conditions(site_id, window, local_site_id), *narrowed]
    if ids is not None:
        conditions.append(rating_columns(kind)[0].in_(ids))
    if kind == "item":
        instrument = instrument or site_instrument(site_id)
        if instrument is None:
            return MonthlyCounts(kind)
        rows = item_counts(conditions, instrument, month_of(Case.finalized_at))
    elif kind == "subitem":
        rows = subitem_counts(conditions, month_of(Case.finalized_at))
    else:
        rows = outcome_counts(conditions, month_of(Case.finalized_at))
    counts = MonthlyCounts(kind)
    for month, key, case_type, applicable, hits in rows:
        splits = counts.by_month.setdefault(month_key(month), {})
        splits.setdefault(key, Split()).put(case_type, Figure(int(applicable or 0), int(hits or 0)))
    return counts
