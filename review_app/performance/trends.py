"""Item and outcome figures over time: by calendar quarter and over rolling 12 months.

One grouped statement per kind (items, outcomes) counts the site's finalized
cases per month of finalization, item or outcome, and case type; quarters and
rolling windows are sums of those months (the counts add up), so a trend over
years of reviews costs the same few statements as one over a quarter.

For a figure over one window elsewhere (a PIP plan's baseline or measurement):
``monthly_counts(site_id, kind)`` once, then ``.figure(key, window)`` for every
window; or ``figure_over(site_id, kind, key, window)`` for a single one.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, func, literal_column, null, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.functions import FunctionElement

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.instruments.model import Instrument
from review_app.performance.queries import (
    APPLICABLE_ITEM,
    APPLICABLE_OUTCOME,
    Figure,
    Split,
    Target,
    item_applies,
    item_counts,
    outcome_counts,
)
from review_app.performance.windows import (
    Window,
    finalized_span,
    months_after,
    quarters,
    rolling,
    site_instrument,
    window_conditions,
)
from review_app.ratings.models import ItemReview, OutcomeRating

KINDS = ("item", "outcome")
Month = tuple[int, int]
# Reaches back before any review: every finalized case counts in a statement over it.
EVERY_DAY = Window(date(1900, 1, 1), date(9999, 1, 1))


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


def _month(value) -> Month:
    """Return (year, month) of a ``month_of`` value: "2026-03" (SQLite) or a timestamp."""
    if isinstance(value, str):
        return int(value[:4]), int(value[5:7])
    return value.year, value.month


def _conditions(
    site_id: int, window: Window, local_site_id: int | None
) -> list[ColumnElement[bool]]:
    conditions = window_conditions(site_id, window)
    if local_site_id:
        conditions.append(Case.local_site_id == local_site_id)
    return conditions


@dataclass
class MonthlyCounts:
    """Counts per month of finalization: {(year, month): {item or outcome id: Split}}."""

    kind: str
    by_month: dict[Month, dict[str, Split]] = field(default_factory=dict)

    def figure(self, key: str, window: Window, case_type: str = "") -> Figure:
        """Return the figure of one item or outcome over ``window`` ("": both case types).

        Exact for windows of whole months, or when the counts were read for this
        window (``figure_over``); otherwise the months the window touches count whole.
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
) -> MonthlyCounts:
    """Count the site's finalized cases per month, item (or outcome) and case type.

    One statement. ``instrument`` says which items apply to which case type (the
    site's newest period's when not given); ``window`` narrows the months read.
    """
    conditions = _conditions(site_id, window, local_site_id)
    if kind == "item":
        instrument = instrument or site_instrument(site_id)
        if instrument is None:
            return MonthlyCounts(kind)
        rows = item_counts(conditions, instrument, month_of(Case.finalized_at))
    else:
        rows = outcome_counts(conditions, month_of(Case.finalized_at))
    counts = MonthlyCounts(kind)
    for month, key, case_type, applicable, hits in rows:
        splits = counts.by_month.setdefault(_month(month), {})
        splits.setdefault(key, Split()).put(case_type, Figure(int(applicable or 0), int(hits or 0)))
    return counts


def figure_over(
    site_id: int,
    kind: str,
    key: str,
    window: Window,
    case_type: str = "",
    local_site_id: int | None = None,
) -> Figure:
    """Return one item's % Strength (outcome's % Substantially Achieved) over ``window``."""
    counts = monthly_counts(site_id, kind, local_site_id=local_site_id, window=window)
    return counts.figure(key, window, case_type)


@dataclass
class Point:
    """A figure over one window."""

    window: Window
    figure: Figure


@dataclass
class Trends:
    """Every item's and outcome's counts by month, and the windows to show them over."""

    quarters: list[Window]
    rolling: list[Window]
    items: MonthlyCounts
    outcomes: MonthlyCounts

    def counts(self, kind: str) -> MonthlyCounts:
        return self.items if kind == "item" else self.outcomes

    def by_quarter(self, kind: str, key: str, case_type: str = "") -> list[Point]:
        counts = self.counts(kind)
        return [Point(w, counts.figure(key, w, case_type)) for w in self.quarters]

    def by_year(self, kind: str, key: str, case_type: str = "") -> list[Point]:
        """Return the rolling 12 months ending with each quarter."""
        counts = self.counts(kind)
        return [Point(w, counts.figure(key, w, case_type)) for w in self.rolling]

    def overview(
        self, figures: list[tuple[str, str]], windows: list[Window], case_type: str = ""
    ) -> list[tuple[str, str, list[Figure]]]:
        """Return ("kind:id", label, figure over each window) for each of ``figures``."""
        found = []
        for figure, label in figures:
            kind, _, key = figure.partition(":")
            found.append((figure, label, self.counts(kind).series(key, windows, case_type)))
        return found


def trends(site_id: int, instrument: Instrument, local_site_id: int | None = None) -> Trends | None:
    """Return the site's figures over every quarter of finalized reviews (three statements).

    None when the site has no finalized case. The quarters run from the first
    finalized review's to the last one's, whichever local site is chosen, so the
    columns stay the same when a local site is picked.
    """
    span = finalized_span(site_id)
    if span is None:
        return None
    found = quarters(*span)
    return Trends(
        quarters=found,
        rolling=rolling(found),
        items=monthly_counts(site_id, "item", instrument, local_site_id),
        outcomes=monthly_counts(site_id, "outcome", local_site_id=local_site_id),
    )


def cases_behind(
    site_id: int,
    instrument: Instrument,
    target: Target,
    window: Window,
    case_type: str = "",
    local_site_id: int | None = None,
    limit: int | None = None,
):
    """Return the cases behind one point: (case, rating, QA's override) rows, by case number.

    The cases the point counts: finalized in the window, the item (outcome)
    applying to them, rated Strength or Area Needing Improvement (Substantially,
    Partially or Not Achieved); as ``queries.cases_behind`` lists a period's.
    """
    statement = (
        select(Case)
        .where(*_conditions(site_id, window, local_site_id))
        .options(joinedload(Case.local_site))
        .order_by(Case.finalized_at, Case.case_number, Case.id)
    )
    if case_type:
        statement = statement.where(Case.case_type == case_type)
    if target.kind == "item":
        effective = ItemReview.effective_rating
        statement = (
            statement.add_columns(effective, ItemReview.override_rating)
            .join(ItemReview, and_(ItemReview.case_id == Case.id, ItemReview.item_id == target.id))
            .where(effective.in_(APPLICABLE_ITEM), item_applies(instrument))
        )
    else:
        statement = (
            statement.add_columns(OutcomeRating.rating, null())
            .join(
                OutcomeRating,
                and_(OutcomeRating.case_id == Case.id, OutcomeRating.outcome_id == target.id),
            )
            .where(OutcomeRating.rating.in_(APPLICABLE_OUTCOME))
        )
    if limit:
        statement = statement.limit(limit)
    return db.session.execute(statement)
