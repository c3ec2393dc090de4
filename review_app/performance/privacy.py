"""Small cells: an aggregate over too few children is shown as "fewer than N", not a number.

A figure over two or three cases, once filtered by race, age and local site, can
point at one child. Each site sets its minimum (``Site.small_cell_minimum``,
default 5; the state administrator changes it on the site's privacy page). Every
page and export of aggregate figures (performance, trends, analyses) writes its
counts and shares through these functions, so they all hide the same cells.
A figure over no case at all is said as such: it tells nothing about a child.
Lists of cases behind a figure are not aggregates: those allowed to see cases
still see them.

Where shown figures add up to a shown total, one hidden figure is the total less
the others: ``complementary`` hides a second one there (the analysis table's rows
and columns, a breakdown's columns).
"""

from collections.abc import Hashable, Iterable, Mapping, Set
from typing import Any, Protocol, TypeVar

from review_app.core.numbers import percent_text


class Share(Protocol):
    """A share of cases: ``hits`` of ``applicable`` (a performance ``Figure``)."""

    applicable: int
    hits: int


class Row(Protocol):
    """A breakdown's row (a performance ``Breakdown``): its key, cases and figures."""

    @property
    def key(self) -> Any: ...
    @property
    def cases(self) -> int: ...
    @property
    def outcomes(self) -> Mapping[str, Any]: ...
    @property
    def items(self) -> Mapping[str, Any]: ...
    @property
    def subitems(self) -> Mapping[str, Any]: ...


Key = TypeVar("Key", bound=Hashable)


def is_hidden(count: int, threshold: int) -> bool:
    """Tell whether a count of cases is too small to show (zero is shown: no child)."""
    return 0 < count < threshold


# A count over enough cases, hidden so that a small one beside it cannot be worked back.
HIDDEN = "hidden"


def fewer_than(threshold: int) -> str:
    return f"fewer than {threshold}"


def shown_count(count: int, threshold: int) -> str:
    """Return a count of cases as shown: the number, or "fewer than N"."""
    return fewer_than(threshold) if is_hidden(count, threshold) else str(count)


def shown(figure: Share, threshold: int) -> str:
    """Return a share as shown: "62% (5 of 8)", "fewer than 5", or "no applicable case".

    Hidden by the number of cases it applies to (``applicable``), so neither the
    share nor its parts can be worked back.
    """
    if not figure.applicable:
        return "no applicable case"
    if is_hidden(figure.applicable, threshold):
        return fewer_than(threshold)
    share = percent_text(100.0 * figure.hits / figure.applicable)
    return f"{share} ({figure.hits} of {figure.applicable})"


def shown_percent(figure: Share, threshold: int) -> float | None:
    """Return the share as a percentage, or None when it is hidden or over no case (charts)."""
    if not figure.applicable or is_hidden(figure.applicable, threshold):
        return None
    return 100.0 * figure.hits / figure.applicable


def complementary(
    counts: Mapping[Key, int], threshold: int, hidden: Set[Key] = frozenset()
) -> set[Key]:
    """Return the keys of counts to hide among counts that add up to a shown whole.

    Every count under the threshold (or already in ``hidden``); and when that is
    exactly one, the smallest other count above zero too, since the whole less the
    counts shown would give the hidden one back (complementary suppression).
    """
    hide = {key for key, count in counts.items() if key in hidden or is_hidden(count, threshold)}
    if len(hide) == 1:
        others = [(count, key) for key, count in counts.items() if key not in hide and count]
        if others:
            hide.add(min(others, key=lambda other: other[0])[1])
    return hide


def withheld(rows: Iterable[Row], threshold: int) -> set[tuple[str, Any, Any]]:
    """Return the breakdown cells hidden only so a small one cannot be worked back.

    A breakdown's rows of one column (cases counted, an outcome, an item, a
    sub-item) add up to the site's figure, shown on the performance page. Each
    place is (column kind, column id, row key); the cases column's id is None.
    Only for breakdowns whose rows part the cases (not races, where a child of
    several races counts in each row).
    """
    columns: dict[tuple[str, Any], dict[Any, int]] = {}
    for row in rows:
        columns.setdefault(("cases", None), {})[row.key] = row.cases
        for kind, figures in (
            ("outcome", row.outcomes),
            ("item", row.items),
            ("subitem", row.subitems),
        ):
            for key, split in figures.items():
                columns.setdefault((kind, key), {})[row.key] = split.overall.applicable
    return {
        (kind, key, row_key)
        for (kind, key), counts in columns.items()
        for row_key in complementary(counts, threshold)
        if not is_hidden(counts[row_key], threshold)
    }
