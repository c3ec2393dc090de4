"""Which cases an analysis counts: when (a review period or a window of months) and filters.

The filters are a registry: each ``FilterField`` names its query argument, its
words, the choices it offers (from the ``Scope`` the page read) and the
conditions on ``Case`` a chosen value adds. To filter by something new (a
demographic), add a ``FilterField`` to ``FILTERS``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select

from review_app.analysis.sources import Scope
from review_app.cases.models import CASE_TYPES, Assignment, Case
from review_app.cases.states import CaseStatus
from review_app.performance.queries import AGE_GROUPS
from review_app.performance.windows import Window, window_conditions
from review_app.periods.models import ReviewPeriod


@dataclass(frozen=True)
class FilterField:
    """One filter of the page: a select list whose empty choice counts every case."""

    name: str
    label: str
    every: str  # the words of the empty choice
    options: Callable[[Scope], list[tuple[str, str]]]
    conditions: Callable[[Scope, str], list[ColumnElement[bool]]]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _age_conditions(scope: Scope, group: str) -> list[ColumnElement[bool]]:
    """Children of the age group on the last day of their case's period under review.

    One test per period of the site, so no database needs date arithmetic.
    """
    youngest, oldest = AGE_GROUPS[group]
    return [
        or_(
            false(),
            *(
                and_(
                    Case.period_id == period.id,
                    Case.child_birth_date <= _years_before(period.pur_end, youngest),
                    Case.child_birth_date > _years_before(period.pur_end, oldest + 1),
                )
                for period in scope.periods
            ),
        )
    ]


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
        "Child’s age at the end of the period under review",
        "Any age",
        lambda _scope: [(group, group) for group in AGE_GROUPS],
        _age_conditions,
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
        return [
            Case.site_id == site_id,
            Case.period_id == self.period.id,
            Case.status == CaseStatus.FINALIZED,
            ~Case.is_key,  # a Training site's answer keys are the experts' ratings, not cases
        ]


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
