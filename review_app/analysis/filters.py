"""Which cases an analysis counts: when (a review period or a window of months) and filters.

The filters are a registry: each ``FilterField`` names its query argument, its
words, the choices it offers (from the ``Scope`` the page read) and the
conditions on ``Case`` a chosen value adds. To filter by something new (a
demographic), add a ``FilterField`` to ``FILTERS``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select

from review_app.analysis.sources import Scope
from review_app.cases import demographics
from review_app.cases.models import CASE_TYPES, Assignment, Case
from review_app.performance.windows import Window, finalized_conditions, window_conditions
from review_app.periods.models import ReviewPeriod


@dataclass(frozen=True)
class FilterField:
    """One filter of the page: a select list whose empty choice counts every case."""

    name: str
    label: str
    every: str  # the words of the empty choice
    options: Callable[[Scope], list[tuple[str, str]]]
    conditions: Callable[[Scope, str], list[ColumnElement[bool]]]


def _choices(scope: Scope, name: str) -> list[tuple[str, str]]:
    """Return the codes and words of a demographic field the instrument declares."""
    category = demographics.categories(scope.instrument).get(name)
    return list(category.choices.items()) if category else []


def _reviewer_conditions(_scope: Scope, user_id: str) -> list[ColumnElement[bool]]:
    chosen = select(Assignment.case_id).where(Assignment.user_id == int(user_id))
    return [Case.id.in_(chosen)]


FILTERS: list[FilterField] = [
    FilterField(
        "local_site",
        "Local site",
        "All local sites",
        lambda scope: [(str(local.id), local.name) for local in scope.local_sites],
        lambda _scope, value: [Case.local_site_id == int(value)],
    ),
    FilterField(
        "type",
        "Case type",
        "Both case types",
        lambda _scope: list(CASE_TYPES.items()),
        lambda _scope, value: [Case.case_type == value],
    ),
    FilterField(
        "age",
        "Child’s age at the start of the period under review",
        "Any age",
        lambda _scope: [(group, f"Aged {group}") for group in demographics.AGE_GROUPS],
        lambda _scope, group: [demographics.age_group_condition(group)],
    ),
    FilterField(
        "sex",
        "Child’s sex",
        "Any sex",
        lambda scope: _choices(scope, "sex"),
        lambda _scope, code: [demographics.sex_condition(code)],
    ),
    FilterField(
        "race",
        "Child’s race",
        "Any race",
        lambda scope: _choices(scope, "race"),
        lambda _scope, code: [demographics.race_condition(code)],
    ),
    FilterField(
        "hispanic",
        "Child’s Hispanic or Latino ethnicity",
        "Any ethnicity",
        lambda scope: _choices(scope, "hispanic"),
        lambda _scope, code: [demographics.hispanic_condition(code)],
    ),
    FilterField(
        "reviewer",
        "Reviewer",
        "Any reviewer",
        lambda scope: [(str(user_id), name) for user_id, name in scope.reviewers],
        _reviewer_conditions,
    ),
]


@dataclass(frozen=True)
class When:
    """The cases' time: a review period's finalized cases, or those finalized in a window."""

    period: ReviewPeriod | None = None
    window: Window | None = None

    @property
    def label(self) -> str:
        if self.period is not None:
            return self.period.name
        assert self.window is not None
        return f"finalized {self.window.label}"

    def conditions(self, site_id: int) -> list[ColumnElement[bool]]:
        if self.window is not None:
            return window_conditions(site_id, self.window)
        assert self.period is not None
        return [*finalized_conditions(site_id), Case.period_id == self.period.id]


def case_conditions(scope: Scope, when: When, chosen: dict[str, str]) -> list[ColumnElement[bool]]:
    """Return the conditions on ``Case`` that pick the cases the analysis counts."""
    conditions = when.conditions(scope.site.id)
    for filter_field in FILTERS:
        value = chosen.get(filter_field.name, "")
        if value:
            conditions += filter_field.conditions(scope, value)
    return conditions


def described(scope: Scope, when: When | None, chosen: dict[str, str]) -> str:
    """Say in words which cases are counted."""
    if when is None:
        return ""
    parts = [f"finalized cases of {when.label}" if when.period else f"cases {when.label}"]
    for filter_field in FILTERS:
        value = chosen.get(filter_field.name, "")
        if value:
            words = dict(filter_field.options(scope)).get(value, value)
            parts.append(f"{filter_field.label.lower()}: {words}")
    return "; ".join(parts)


def known_values(scope: Scope) -> dict[str, Any]:
    """Return each filter's choices, by name (for the form and for checking arguments)."""
    return {filter_field.name: filter_field.options(scope) for filter_field in FILTERS}
