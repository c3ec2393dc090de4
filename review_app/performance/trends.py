"""Item and outcome figures over time: by calendar quarter and over rolling 12 months.

Counted per month of finalization (``windows.monthly_counts``: one grouped
statement per kind); quarters and rolling windows are sums of those months (the
counts add up), so a trend over years of reviews costs the same few statements
as one over a quarter. For a figure over a single window elsewhere:
``figure_over(site_id, kind, key, window)``.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import joinedload

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.instruments.model import Instrument
from review_app.performance.privacy import complementary
from review_app.performance.queries import Figure, Target, counted_ratings, rating_columns
from review_app.performance.windows import (
    MonthlyCounts,
    Window,
    finalized_span,
    monthly_counts,
    quarters,
    rolling,
    window_conditions,
)

KINDS = ("item", "subitem", "outcome")


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
    """A figure over one window; ``hidden`` when it is shown as "fewer than N" or "hidden"."""

    window: Window
    figure: Figure
    hidden: bool = False


def hide_small(quarters: list[Point], years: list[Point], minimum: int) -> None:
    """Mark the points a page must not show as numbers (see performance/privacy.py).

    Every figure over fewer cases than the minimum; and, since each rolling year is
    the sum of its four quarters (quarters before the first hold no case), wherever
    one year and its quarters would have exactly one hidden count, the smallest
    other too, repeated until none would: the year less the quarters shown would
    give the hidden one back. ``years[t]`` ends with ``quarters[t]``.
    """
    lines = [
        {("year", t): years[t].figure.applicable}
        | {("quarter", q): quarters[q].figure.applicable for q in range(max(0, t - 3), t + 1)}
        for t in range(len(years))
    ]
    hidden: set[tuple[str, int]] = set()
    while True:
        before = len(hidden)
        for line in lines:
            hidden |= complementary(line, minimum, hidden)
        if len(hidden) == before:
            break
    for kind, index in hidden:
        (quarters if kind == "quarter" else years)[index].hidden = True


@dataclass
class Trends:
    """Every item's and outcome's counts by month, and the windows to show them over."""

    quarters: list[Window]
    rolling: list[Window]
    items: MonthlyCounts
    outcomes: MonthlyCounts
    subitems: MonthlyCounts = field(default_factory=lambda: MonthlyCounts("subitem"))

    def counts(self, kind: str) -> MonthlyCounts:
        if kind == "subitem":
            return self.subitems
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


def trends(
    site_id: int,
    instrument: Instrument,
    local_site_id: int | None = None,
    narrowed: Sequence[ColumnElement[bool]] = (),
) -> Trends | None:
    """Return the site's figures over every quarter of finalized reviews (four statements).

    None when the site has no finalized case. The quarters run from the first
    finalized review's to the last one's, whichever local site (or children,
    ``narrowed``: ``demographics.conditions``) is chosen, so the columns stay the
    same when a filter is picked.
    """
    span = finalized_span(site_id)
    if span is None:
        return None
    found = quarters(*span)
    return Trends(
        quarters=found,
        rolling=rolling(found),
        items=monthly_counts(site_id, "item", instrument, local_site_id, narrowed=narrowed),
        outcomes=monthly_counts(site_id, "outcome", local_site_id=local_site_id, narrowed=narrowed),
        subitems=monthly_counts(site_id, "subitem", local_site_id=local_site_id, narrowed=narrowed),
    )


def cases_behind(
    site_id: int,
    instrument: Instrument,
    target: Target,
    window: Window,
    case_type: str = "",
    local_site_id: int | None = None,
    limit: int | None = None,
    narrowed: Sequence[ColumnElement[bool]] = (),
):
    """Return the cases behind one point: (case, rating, QA's override) rows, by case number.

    The cases the point counts: finalized in the window, of the children
    ``narrowed`` picks, the item (sub-item, outcome) applying to them, rated
    Strength or Area Needing Improvement (Substantially, Partially or Not
    Achieved); as ``queries.cases_behind`` lists a period's.
    """
    statement = (
        select(Case)
        .where(*window_conditions(site_id, window, local_site_id), *narrowed)
        .options(joinedload(Case.local_site))
        .order_by(Case.finalized_at, Case.case_number, Case.id)
    )
    if case_type:
        statement = statement.where(Case.case_type == case_type)
    _, rating, override = rating_columns(target.kind)
    statement = counted_ratings(
        statement.add_columns(rating, override), target.kind, target.id, instrument
    )
    if limit:
        statement = statement.limit(limit)
    return db.session.execute(statement)
