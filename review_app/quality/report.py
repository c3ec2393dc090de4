"""The agreement page's figures: per item, per reviewer, overall and over time.

The counting is in ``queries`` (grouped statements); here the tables become figures,
each over the categories its items can take (see ``stats.agreement``).
"""

from dataclasses import dataclass, field

from review_app.accounts.queries import display_names
from review_app.instruments.engine import possible_ratings
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Item
from review_app.quality import queries
from review_app.quality.stats import Agreement, agreement, pooled

UNKNOWN_REVIEWER = "Not recorded"


def item_categories(instrument: Instrument, item: Item, forced_na: bool) -> tuple[str, ...]:
    """Return the ratings an item can take on the cases it is compared on.

    Without ``forced_na`` only cases of the types it applies to are compared, so
    item 4 (foster care only, no applicability question) is Strength or ANI.
    """
    every_type = list(instrument.definition.case_types)
    types = every_type if forced_na or item.applies_to is None else item.applies_to
    return possible_ratings(item, types)


def pooled_categories(instruments, forced_na: bool) -> tuple[str, ...]:
    """Return the ratings any item of ``instruments`` can take: the scale of a pooled table."""
    found: set[str] = set()
    for instrument in instruments:
        for item in instrument.items.values():
            found |= set(item_categories(instrument, item, forced_na))
    return tuple(sorted(found))


def forced_items(instrument: Instrument) -> list[tuple[list[int], str]]:
    """Return (item numbers, case type label) for items a case type makes Not Applicable."""
    types = instrument.definition.case_types
    found: dict[str, list[int]] = {}
    for item in instrument.items.values():
        for kind in types:
            if item.applies_to is not None and kind not in item.applies_to:
                found.setdefault(types[kind], []).append(item.number)
    return [(numbers, label) for label, numbers in found.items()]


@dataclass
class Trend:
    """Each reviewer's agreement per quarter of first submission."""

    quarters: list[str] = field(default_factory=list)
    rows: list[tuple[str, dict[str, Agreement]]] = field(default_factory=list)


def over_time(site_id: int, instruments: dict[int, Instrument], forced_na: bool) -> Trend:
    """Fold the monthly tables into quarters and work out each reviewer's figures."""
    scale = pooled_categories(instruments.values(), forced_na)
    by_person: dict[int | None, dict[tuple[int, int], dict]] = {}
    for (user_id, year, month), table in queries.agreement_by_month(
        site_id, instruments, forced_na
    ).items():
        quarter = by_person.setdefault(user_id, {}).setdefault((year, (month - 1) // 3 + 1), {})
        for key, count in table.items():
            quarter[key] = quarter.get(key, 0) + count
    names = display_names(user_id for user_id in by_person if user_id is not None)
    quarters = sorted({quarter for person in by_person.values() for quarter in person})
    label = {quarter: f"{quarter[0]} Q{quarter[1]}" for quarter in quarters}
    rows = [
        (
            names.get(user_id or 0, UNKNOWN_REVIEWER),
            {label[quarter]: agreement(table, scale) for quarter, table in person.items()},
        )
        for user_id, person in by_person.items()
    ]
    rows.sort(key=lambda row: row[0].lower())
    return Trend([label[quarter] for quarter in quarters], rows)


def period_figures(site_id: int, period_id: int, instrument: Instrument, forced_na: bool) -> dict:
    """Return per item, per reviewer (ids) and overall figures of one period."""
    items = queries.agreement_tables(site_id, period_id, instrument, False, forced_na)
    people = queries.agreement_tables(site_id, period_id, instrument, True, forced_na)
    scale = pooled_categories([instrument], forced_na)
    return {
        "items": {
            key: agreement(table, item_categories(instrument, instrument.items[key], forced_na))
            for key, table in items.items()
            if key in instrument.items
        },
        "people": {key: agreement(table, scale) for key, table in people.items()},
        "overall": agreement(pooled(items.values()), scale),
    }
