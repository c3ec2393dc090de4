"""The trend page's choices, read from the query string: wrong values are named and left out."""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from review_app.cases.models import CASE_TYPES
from review_app.core.inputs import whole_number
from review_app.instruments.model import Instrument
from review_app.performance.forms import names_figure, read_demographics
from review_app.performance.queries import Target, query_args
from review_app.performance.windows import Window, months_after

SERIES = {"rolling": "Rolling 12 months, ending each quarter", "quarter": "Each calendar quarter"}
WINDOW_MONTHS = (3, 12)
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")


@dataclass(frozen=True)
class TrendChoices:
    """Which figure the trend shows, for which cases, and how."""

    target: Target
    local_site_id: int | None = None
    case_type: str = ""
    series: str = "rolling"
    # The child's age group at the start of the period under review, and demographic codes.
    age_group: str = ""
    sex: str = ""
    race: str = ""
    hispanic: str = ""

    def as_args(self, **changes) -> dict:
        """Return the choices as query-string arguments, with some changed."""
        args = {
            "figure": f"{self.target.kind}:{self.target.id}",
            "local_site": self.local_site_id or "",
            "type": self.case_type,
            "series": self.series,
            "age": self.age_group,
            "sex": self.sex,
            "race": self.race,
            "hispanic": self.hispanic,
        }
        return query_args(args, changes)


def window_args(window: Window) -> dict:
    """Return the query-string arguments naming a window: the quarter it ends with, its length."""
    last = months_after(window.end, -3)
    return {"quarter": f"{last.year}-Q{last.month // 3 + 1}", "months": window.months}


def figure_targets(instrument: Instrument) -> list[tuple[str, str]]:
    """Return ("kind:id", label) of every outcome and item, in the instrument's order.

    An item's sub-items (12A, 12B, 12C) follow it.
    """
    found = [
        (f"outcome:{o.id}", f"Outcome {o.id}: {o.label}") for o in instrument.definition.outcomes
    ]
    for item in instrument.items.values():
        found.append((f"item:{item.id}", f"Item {item.number}: {item.title}"))
        found += [(f"subitem:{sub.id}", f"Sub-item {sub.id}: {sub.title}") for sub in item.subitems]
    return found


def read_choices(
    instrument: Instrument, local_site_ids: Collection[int], args: Mapping[str, str]
) -> tuple[TrendChoices, list[str]]:
    """Return the choices the arguments ask for, and a message for each value left out."""
    problems = []
    first = next(iter(instrument.items))
    kind, _, key = args.get("figure", "").partition(":")
    outcomes = {o.id for o in instrument.definition.outcomes}
    subitems = {sub.id for item in instrument.items.values() for sub in item.subitems}
    if (kind, key) == ("", ""):
        target = Target("item", first)
    elif names_figure(kind, key, instrument.items, outcomes, subitems):
        target = Target(kind, key)
    else:
        problems.append("There is no such item, sub-item or outcome; the first item is shown.")
        target = Target("item", first)
    local_site_id = whole_number(args.get("local_site", ""))
    if args.get("local_site") and local_site_id not in local_site_ids:
        problems.append("There is no such local site here; every local site is counted.")
        local_site_id = None
    case_type = args.get("type", "")
    if case_type and case_type not in CASE_TYPES:
        problems.append(f"“{case_type[:40]}” is not a case type; both case types are counted.")
        case_type = ""
    series = args.get("series", "")
    if series and series not in SERIES:
        problems.append("That is not a way to show the trend; rolling 12 months are shown.")
    people = read_demographics(instrument, args, problems, "; every child is counted")
    return TrendChoices(
        target, local_site_id, case_type, series if series in SERIES else "rolling", **people
    ), problems


def read_window(args: Mapping[str, str]) -> Window | None:
    """Return the window ``quarter=2026-Q1&months=12`` names (12 months ending March 2026)."""
    found = _QUARTER.fullmatch(args.get("quarter", ""))
    months = whole_number(args.get("months", ""))
    if found is None or months not in WINDOW_MONTHS or not 1900 <= int(found.group(1)) < 9999:
        return None
    end = months_after(date(int(found.group(1)), int(found.group(2)) * 3, 1), 1)
    return Window(months_after(end, -months), end)
