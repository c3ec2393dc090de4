"""Figures over windows of time, across review periods.

A case counts in a window by the day its review was finalized: a CQI site
reviews cases all year, and program improvement is measured over "the last 12
months of finalized reviews", whichever periods the cases were sampled in.
Windows are half open: ``start`` is the first day counted, ``end`` the first
day that is not.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import ColumnElement, extract, select

from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument, newest_instrument
from review_app.instruments.model import Instrument
from review_app.periods.models import ReviewPeriod


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


def window_conditions(site_id: int, window: Window) -> list[ColumnElement[bool]]:
    """Return the conditions on ``Case`` that pick the site's cases finalized in the window."""
    return [
        Case.site_id == site_id,
        Case.status == CaseStatus.FINALIZED,
        ~Case.is_key,
        Case.finalized_at >= _moment(window.start),
        Case.finalized_at < _moment(window.end),
    ]


def finalized_month() -> tuple[ColumnElement, ColumnElement]:
    """Return the year and month a case was finalized in, as columns to group by."""
    return (
        extract("year", Case.finalized_at).label("year"),
        extract("month", Case.finalized_at).label("month"),
    )


def finalized_span(site_id: int) -> tuple[date, date] | None:
    """Return the days of the site's first and last finalized review, or None if none is."""
    first, last = db.session.execute(
        select(db.func.min(Case.finalized_at), db.func.max(Case.finalized_at)).where(
            Case.site_id == site_id, Case.status == CaseStatus.FINALIZED, ~Case.is_key
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
