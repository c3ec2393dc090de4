"""What an analysis asks for, read from the query string: wrong values are named and left out."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from wtforms import StringField
from wtforms.validators import InputRequired, Length

from review_app.analysis.filters import FILTERS, When, known_values
from review_app.analysis.sources import Axis, Scope, questions
from review_app.core.forms import DraftForm
from review_app.core.inputs import whole_number
from review_app.core.models import utcnow
from review_app.instruments.catalog import get_instrument, newest_instrument
from review_app.instruments.model import Instrument
from review_app.performance.windows import Window, months_after
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import LocalSite, Site

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
MOST_MONTHS = 120
# The query arguments that make an analysis, besides the filters' own.
ARGS = ("rows", "columns", "scope", "period", "from", "to")
NAME_MAX = 80


class SaveForm(DraftForm):
    """The name to save an analysis under (its questions and filters come with it)."""

    name = StringField(
        "Name of this analysis",
        validators=[InputRequired(message="Name the analysis."), Length(max=NAME_MAX)],
        description="For example “Placement stability by case type, last 12 months”.",
    )


@dataclass
class Asked:
    """An analysis as asked for: its cases' time, two questions and the filters."""

    scope: Scope
    when: When | None
    offered: dict[str, Axis]
    rows: Axis | None = None
    columns: Axis | None = None
    chosen: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    args: dict[str, str] = field(default_factory=dict)

    @property
    def is_complete(self) -> bool:
        return self.when is not None and self.rows is not None and self.columns is not None

    def as_args(self, **changes: str) -> dict[str, Any]:
        """Return the analysis as query arguments, with some changed (empty ones left out)."""
        args = {**self.args, **changes}
        return {key: value for key, value in args.items() if value}


def _month(text: str) -> date | None:
    match = MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def _window(args: Mapping[str, str], problems: list[str]) -> Window:
    """Return the window of the ``from`` and ``to`` months (both counted), or the last year."""
    start, last = _month(args.get("from", "")), _month(args.get("to", ""))
    this_month = utcnow().date().replace(day=1)
    fallback = Window(months_after(this_month, -11), months_after(this_month, 1))
    if start is None or last is None:
        problems.append(
            "Give the first and last months of the window as year and month, "
            "such as 2026-01; the last 12 months are counted."
        )
        return fallback
    if last < start:
        problems.append("The window ends before it starts; the last 12 months are counted.")
        return fallback
    window = Window(start, months_after(last, 1))
    if window.months > MOST_MONTHS:
        problems.append(
            f"A window spans at most {MOST_MONTHS // 12} years; the last 12 months are counted."
        )
        return fallback
    return window


def _when(periods: list[ReviewPeriod], args: Mapping[str, str], problems: list[str]) -> When | None:
    if args.get("scope") == "window":
        return When(window=_window(args, problems))
    if not periods:
        return None
    period = {period.id: period for period in periods}.get(whole_number(args.get("period")) or 0)
    if period is None:
        if args.get("period"):
            problems.append("There is no such review period here; the latest one is used.")
        period = periods[0]
    return When(period=period)


def _instrument(periods: list[ReviewPeriod], when: When | None) -> Instrument | None:
    """Return the instrument of the period, or of the site's newest period for a window."""
    version = (
        when.period.instrument_version
        if when is not None and when.period is not None
        else max(periods, key=lambda period: (period.pur_end, period.id)).instrument_version
        if periods
        else None
    )
    try:
        return get_instrument(version) if version else newest_instrument()
    except LookupError:
        return None


def _axis(offered: dict[str, Axis], key: str, which: str, problems: list[str]) -> Axis | None:
    if not key:
        return None
    axis = offered.get(key)
    if axis is None:
        problems.append(
            f"The question chosen for the {which} is not in the instrument of these cases "
            "(it may have been removed since the analysis was saved). Choose another."
        )
    return axis


def read_asked(
    site: Site,
    periods: list[ReviewPeriod],
    local_sites: list[LocalSite],
    reviewers: list[tuple[int, str]],
    args: Mapping[str, str],
) -> Asked:
    """Return the analysis the arguments ask for, and a message for each value left out."""
    problems: list[str] = []
    when = _when(periods, args, problems)
    scope = Scope(site, periods, local_sites, reviewers, _instrument(periods, when))
    offered = questions(scope)
    rows = _axis(offered, args.get("rows", ""), "rows", problems)
    columns = _axis(offered, args.get("columns", ""), "columns", problems)
    if rows is not None and columns is not None and rows.key == columns.key:
        problems.append(
            "The rows and the columns ask the same question; choose another for the columns."
        )
        columns = None
    chosen = {}
    allowed = known_values(scope)
    for filter_field in FILTERS:
        value = args.get(filter_field.name, "")
        if value and value not in dict(allowed[filter_field.name]):
            problems.append(
                f"That {filter_field.label.lower()} is not one of this site’s; it is left out."
            )
            value = ""
        chosen[filter_field.name] = value
    normal = {
        "rows": rows.key if rows else "",
        "columns": columns.key if columns else "",
        "scope": "window" if when is not None and when.window is not None else "",
        "period": str(when.period.id) if when is not None and when.period is not None else "",
    }
    if when is not None and when.window is not None:
        normal["from"] = f"{when.window.start:%Y-%m}"
        normal["to"] = f"{months_after(when.window.end, -1):%Y-%m}"
    return Asked(scope, when, offered, rows, columns, chosen, problems, {**normal, **chosen})
