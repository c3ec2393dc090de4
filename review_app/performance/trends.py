"""Item and outcome figures over time: by calendar quarter and over rolling 12 months.

Counted per month of finalization (``windows.monthly_counts``: one grouped
statement per kind); quarters and rolling windows are sums of those months (the
counts add up), so a trend over years of reviews costs the same few statements
as one over a quarter. For a figure over a single window elsewhere:
``figure_over(site_id, kind, key, window)``.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.instruments.model import Instrument
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

KINDS = ("item", "outcome")


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
        .where(*window_conditions(site_id, window, local_site_id))
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
