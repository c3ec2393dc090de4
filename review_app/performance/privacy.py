"""Small cells: an aggregate over too few children is shown as "fewer than N", not a number.

A figure over two or three cases, once filtered by race, age and local site, can
point at one child. Each site sets its minimum (``Site.small_cell_minimum``,
default 5; the state administrator changes it on the site's privacy page). Every
page and export of aggregate figures (performance, trends, analyses) writes its
counts and shares through these functions, so they all hide the same cells.
A figure over no case at all is said as such: it tells nothing about a child.
Lists of cases behind a figure are not aggregates: those allowed to see cases
still see them.
"""

from typing import Protocol


class Share(Protocol):
    """A share of cases: ``hits`` of ``applicable`` (a performance ``Figure``)."""

    applicable: int
    hits: int


def is_hidden(count: int, threshold: int) -> bool:
    """Tell whether a count of cases is too small to show (zero is shown: no child)."""
    return 0 < count < threshold


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
    return f"{100.0 * figure.hits / figure.applicable:.0f}% ({figure.hits} of {figure.applicable})"


def shown_percent(figure: Share, threshold: int) -> float | None:
    """Return the share as a percentage, or None when it is hidden or over no case (charts)."""
    if not figure.applicable or is_hidden(figure.applicable, threshold):
        return None
    return 100.0 * figure.hits / figure.applicable
