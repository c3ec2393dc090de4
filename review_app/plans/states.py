"""The kinds a plan stores: what a measured figure is, and how its goal is stated.

The values are what the columns store (CHECK constraints allow these and no other).
"""

from enum import StrEnum


class FigureKind(StrEnum):
    """What a plan measures: an item's or sub-item's (12A) % Strength, or an outcome's %
    Substantially Achieved."""

    ITEM = "item"
    SUBITEM = "subitem"
    OUTCOME = "outcome"

    @property
    def words(self) -> str:
        return "sub-item" if self == FigureKind.SUBITEM else self.value


class GoalKind(StrEnum):
    """How a negotiated goal is stated."""

    TARGET = "target"  # a percentage to reach
    POINTS = "points"  # percentage points over the baseline


GOAL_KIND_LABELS: dict[GoalKind, str] = {
    GoalKind.TARGET: "A percentage to reach",
    GoalKind.POINTS: "Percentage points over the baseline",
}


def figure_field(prefix: str, kind: FigureKind, ref: str) -> str:
    """Name a form field of one item or outcome (``goal_value_item_4``); errors use it too."""
    return f"{prefix}_{kind}_{ref}"
