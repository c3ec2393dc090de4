"""Item and outcome performance, computed in SQL: whole site, per local site, per reviewer.

Every figure is a grouped count over the cases that match the filters, so a page
issues the same few statements however many cases there are.
"""

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    func,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.orm import joinedload

from review_app.accounts.models import User
from review_app.cases import demographics
from review_app.cases.demographics import AGE_GROUPS as AGE_GROUPS  # where the filters read it
from review_app.cases.models import Assignment, Case, CaseRace
from review_app.cases.states import CaseStatus
from review_app.core.models import count_if
from review_app.core.scope import in_scope
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import (
    ANI,
    NOT_ACHIEVED,
    PARTIAL,
    STRENGTH,
    SUBSTANTIAL,
)
from review_app.instruments.model import Instrument
from review_app.members.models import Membership
from review_app.periods.models import ReviewPeriod
from review_app.ratings.models import ItemReview, OutcomeRating, SubitemRating
from review_app.sites.models import LocalSite, Site
from review_app.sites.queries import local_sites_in_scope

STATUSES: dict[str, str] = {
    CaseStatus.FINALIZED: "Finalized cases only",
    "all": "All cases in the sample (not eliminated)",
}
CASE_TYPES = ("foster_care", "in_home")
APPLICABLE_ITEM = (STRENGTH, ANI)
APPLICABLE_OUTCOME = (SUBSTANTIAL, PARTIAL, NOT_ACHIEVED)


@dataclass(frozen=True)
class Filters:
    """Which cases a figure counts; the period is always set."""

    period: ReviewPeriod
    local_site_id: int | None = None
    case_type: str = ""
    age_group: str = ""
    reviewer_id: int | None = None
    status: str = CaseStatus.FINALIZED
    # Codes of the instrument's demographics (review_app/cases/demographics.py).
    sex: str = ""
    race: str = ""
    hispanic: str = ""

    def as_args(self, **changes) -> dict:
        """Return the filters as query-string arguments, with some changed."""
        args = {
            "period": self.period.id,
            "local_site": self.local_site_id or "",
            "type": self.case_type,
            "age": self.age_group,
            "reviewer": self.reviewer_id or "",
            "status": self.status,
            "sex": self.sex,
            "race": self.race,
            "hispanic": self.hispanic,
        }
        return query_args(args, changes)


def query_args(args: dict, changes: dict) -> dict:
    """Return query-string arguments with ``changes`` made, leaving out the empty ones."""
    changed = {**args, **changes}
    return {key: value for key, value in changed.items() if value not in ("", None)}


@dataclass
class Figure:
    """A share: ``hits`` of ``applicable`` cases (Strength, or Substantially Achieved)."""

    applicable: int = 0
    hits: int = 0

    @property
    def percent(self) -> float | None:
        return 100.0 * self.hits / self.applicable if self.applicable else None

    def add(self, other: "Figure") -> None:
        self.applicable += other.applicable
        self.hits += other.hits


@dataclass
class Split:
    """A figure overall and by case type."""

    overall: Figure = field(default_factory=Figure)
    by_type: dict[str, Figure] = field(
        default_factory=lambda: {kind: Figure() for kind in CASE_TYPES}
    )

    def put(self, case_type: str, figure: Figure) -> None:
        self.by_type.setdefault(case_type, Figure()).add(figure)
        self.overall.add(figure)


def case_conditions(site_id: int, filters: Filters) -> list:
    """Return the conditions on ``Case`` that pick the cases the filters count.

    Applied to a statement that joins ``Case`` directly (not as ``id IN (...)``),
    so PostgreSQL reads one period's cases, not the whole table. Only the cases of
    the local sites the current person reaches count (core/scope.py).
    """
    conditions = [
        in_scope(Case, site_id),
        Case.period_id == filters.period.id,
        Case.status != CaseStatus.ELIMINATED,
        ~Case.is_key,  # a Training site's answer keys are the experts' ratings, not cases
    ]
    if filters.status == CaseStatus.FINALIZED:
        conditions.append(Case.status == CaseStatus.FINALIZED)
    if filters.local_site_id:
        conditions.append(Case.local_site_id == filters.local_site_id)
    if filters.case_type:
        conditions.append(Case.case_type == filters.case_type)
    conditions += demographics.conditions(
        filters.age_group, filters.sex, filters.race, filters.hispanic
    )
    if filters.reviewer_id:
        conditions.append(
            Case.id.in_(select(Assignment.case_id).where(Assignment.user_id == filters.reviewer_id))
        )
    return conditions


def item_applies(instrument: Instrument) -> ColumnElement[bool]:
    """Return the condition that an item review's item applies to its case's type.

    An item limited to some case types (item 4: foster care only) still has a
    review row, rated Not Applicable, on every other case; a count of those rows
    would count cases the item never applies to (and a QA override on one would
    even count as a rating). Statements using this join ``Case``.
    """
    by_types: dict[tuple[str, ...], list[str]] = defaultdict(list)
    every_type = set(instrument.definition.case_types)
    for item in instrument.items.values():
        if item.applies_to is not None and set(item.applies_to) != every_type:
            by_types[tuple(sorted(item.applies_to))].append(item.id)
    return and_(
        true(),
        *(
            or_(ItemReview.item_id.not_in(ids), Case.case_type.in_(types))
            for types, ids in by_types.items()
        ),
    )


def _rating_counts(
    model, key, rating, applicable: tuple, hit: str, conditions: list, groups, *only
) -> list:
    """Return (groups..., ``key``, case type, applicable, hits) rows of one ratings table."""
    statement = (
        select(
            *groups,
            key,
            Case.case_type,
            count_if(rating.in_(applicable)),
            count_if(rating == hit),
        )
        .join(Case, Case.id == model.case_id)
        .where(*conditions, *only)
        .group_by(*groups, key, Case.case_type)
    )
    return list(db.session.execute(_with_reviewer(statement, *groups)))


def item_counts(conditions: list, instrument: Instrument, *groups) -> list:
    """Return (groups..., item id, case type, applicable, strengths) rows.

    ``conditions`` pick the cases (``case_conditions``, ``windows.window_conditions``
    or any other list of conditions on ``Case``); ``groups`` are columns to count
    by as well (a local site, a quarter, a reviewer's assignment column).
    """
    effective = ItemReview.effective_rating
    return _rating_counts(
        ItemReview,
        ItemReview.item_id,
        effective,
        APPLICABLE_ITEM,
        STRENGTH,
        conditions,
        groups,
        item_applies(instrument),
    )


def subitem_counts(conditions: list, *groups) -> list:
    """Return (groups..., sub-item id, case type, applicable, strengths) rows.

    A sub-item's stored rating is Not Applicable where it does not apply (its case
    types, its applicability questions), so only Strength and ANI count.
    """
    return _rating_counts(
        SubitemRating,
        SubitemRating.subitem_id,
        SubitemRating.rating,
        APPLICABLE_ITEM,
        STRENGTH,
        conditions,
        groups,
    )


def outcome_counts(conditions: list, *groups) -> list:
    """Return (groups..., outcome id, case type, applicable, substantially achieved) rows."""
    return _rating_counts(
        OutcomeRating,
        OutcomeRating.outcome_id,
        OutcomeRating.rating,
        APPLICABLE_OUTCOME,
        SUBSTANTIAL,
        conditions,
        groups,
    )


def item_rows(site_id: int, filters: Filters, by=None) -> list:
    """Return (group, item id, case type, applicable, strengths) rows."""
    instrument = get_instrument(filters.period.instrument_version)
    return _grouped(item_counts(case_conditions(site_id, filters), instrument, *_by(by)), by)


def outcome_rows(site_id: int, filters: Filters, by=None) -> list:
    """Return (group, outcome id, case type, applicable, substantially achieved) rows."""
    return _grouped(outcome_counts(case_conditions(site_id, filters), *_by(by)), by)


def subitem_rows(site_id: int, filters: Filters, by=None) -> list:
    """Return (group, sub-item id, case type, applicable, strengths) rows."""
    return _grouped(subitem_counts(case_conditions(site_id, filters), *_by(by)), by)


def _by(by) -> list:
    """Return the columns to group by: ``by``, or none."""
    return [by] if by is not None else []


def _grouped(rows: list, by) -> list:
    """Return the rows with their group first: 0 for every row when they were not grouped."""
    return rows if by is not None else [(0, *row) for row in rows]


def _with_reviewer(statement: Select, *groups) -> Select:
    """Join the assignments, or the child's races, when the rows are grouped by them.

    Races are joined outside (a case without one groups under None), so a child of
    several races counts once in each.
    """
    if any(group is Assignment.user_id for group in groups):
        return statement.join(Assignment, Assignment.case_id == Case.id)
    if any(group is CaseRace.race for group in groups):
        return statement.outerjoin(CaseRace, CaseRace.case_id == Case.id)
    return statement


def splits(rows) -> dict:
    """Fold grouped rows into {group: {item or outcome id: Split}}."""
    result: dict = {}
    for group, key, case_type, applicable, hits in rows:
        result.setdefault(group, {}).setdefault(key, Split()).put(
            case_type, Figure(int(applicable or 0), int(hits or 0))
        )
    return result


@dataclass
class Performance:
    """Every figure of the performance page for one set of filters."""

    cases: int
    by_type: dict[str, int]
    items: dict[str, Split]
    outcomes: dict[str, Split]
    subitems: dict[str, Split] = field(default_factory=dict)


def performance(site_id: int, filters: Filters) -> Performance:
    """Return the item and outcome figures for the filtered cases (three statements)."""
    counts = dict(
        db.session.execute(
            select(Case.case_type, func.count())
            .where(*case_conditions(site_id, filters))
            .group_by(Case.case_type)
        ).all()
    )
    return Performance(
        cases=sum(counts.values()),
        by_type=counts,
        items=splits(item_rows(site_id, filters)).get(0, {}),
        outcomes=splits(outcome_rows(site_id, filters)).get(0, {}),
        subitems=splits(subitem_rows(site_id, filters)).get(0, {}),
    )


# What a breakdown groups by: local sites and reviewers, and the child's demographics.
DIMENSIONS = ("local_site", "reviewer", "age", "race", "sex", "hispanic")


@dataclass
class Breakdown:
    """One row of a drill-down table: a local site, reviewer or group of children, and figures.

    ``key`` is the row's filter value (None for children whose field is not recorded).
    """

    key: Any
    name: str
    cases: int
    outcomes: dict[str, Split]
    items: dict[str, Split]
    subitems: dict[str, Split] = field(default_factory=dict)


def dimension_column(dimension: str):
    """Return the SQL expression a breakdown groups by (``_with_reviewer`` joins it)."""
    return {
        "local_site": Case.local_site_id,
        "reviewer": Assignment.user_id,
        "age": demographics.age_group(),
        "race": CaseRace.race,
        "sex": Case.child_sex,
        "hispanic": Case.child_hispanic,
    }[dimension]


def breakdown(site_id: int, filters: Filters, dimension: str) -> list[Breakdown]:
    """Return the figures per local site, reviewer, age group, race, sex or ethnicity.

    Five grouped statements, however many cases. A child of several races counts
    in each of their races; children whose field is not recorded form one row.
    """
    column = dimension_column(dimension)
    counts_statement = (
        select(column, func.count(func.distinct(Case.id)))
        .where(*case_conditions(site_id, filters))
        .group_by(column)
    )
    counts = _recorded(dict(db.session.execute(_with_reviewer(counts_statement, column)).all()))
    outcomes = _recorded(splits(outcome_rows(site_id, filters, column)))
    items = _recorded(splits(item_rows(site_id, filters, column)))
    subitems = _recorded(splits(subitem_rows(site_id, filters, column)))
    names, order = _names(dimension, filters, counts)
    rows = [
        Breakdown(
            key,
            names.get(key, "?"),
            count,
            outcomes.get(key, {}),
            items.get(key, {}),
            subitems.get(key, {}),
        )
        for key, count in counts.items()
    ]
    return sorted(rows, key=order)


def _recorded(by_key: dict) -> dict:
    """Key a field's empty value ("" for sex and ethnicity) as None, as races and ages are."""
    return {None if key == "" else key: value for key, value in by_key.items()}


def _names(dimension: str, filters: Filters, counts: dict) -> tuple[dict, Callable]:
    """Return key -> name of a breakdown's rows, and the sort key of its rows."""
    if dimension in ("local_site", "reviewer"):
        model = LocalSite if dimension == "local_site" else User
        label = LocalSite.name if dimension == "local_site" else User.display_name
        found = db.session.execute(select(model.id, label).where(model.id.in_(counts))).all()
        return dict(found), lambda row: row.name.lower()
    if dimension == "age":
        labels = {group: f"Aged {group}" for group in AGE_GROUPS}
    else:
        declared = demographics.categories(get_instrument(filters.period.instrument_version))
        category = declared.get(dimension)
        labels = dict(category.choices) if category else {}
    names = {key: labels.get(key, key) for key in counts if key is not None}
    names[None] = demographics.NOT_RECORDED
    places = {key: index for index, key in enumerate(labels)}
    return names, lambda row: (row.key is None, places.get(row.key, len(places)), row.name)


@dataclass(frozen=True)
class Target:
    """What figure a list of cases sits behind: an item or an outcome (or all cases)."""

    kind: str = ""  # "item", "subitem", "outcome" or "" for every counted case
    id: str = ""


def rating_columns(
    kind: str,
) -> tuple[SQLColumnExpression, SQLColumnExpression, SQLColumnExpression]:
    """Return an item's (sub-item's, outcome's) id, counted rating and QA's override.

    The columns of the rows ``counted_ratings`` joins; only an item's rating can
    be overridden (NULL for the others).
    """
    if kind == "item":
        return ItemReview.item_id, ItemReview.effective_rating, ItemReview.override_rating
    if kind == "subitem":
        return SubitemRating.subitem_id, SubitemRating.rating, null()
    return OutcomeRating.outcome_id, OutcomeRating.rating, null()


def counted_ratings(
    statement: Select, kind: str, ids: str | Collection[str], instrument: Instrument
) -> Select:
    """Join to a statement over ``Case`` the ratings a figure counts, one row a case and figure.

    ``ids`` names one item (sub-item, outcome) or several of one ``kind``. A case
    joins when the item applies to its type and is rated Strength or Area
    Needing Improvement (the outcome Substantially, Partially or Not Achieved):
    the cases behind ``item_counts``' (``subitem_counts``', ``outcome_counts``')
    applicable figures.
    """
    key, rating, _ = rating_columns(kind)
    chosen = key == ids if isinstance(ids, str) else key.in_(ids)
    if kind == "item":
        return statement.join(ItemReview, and_(ItemReview.case_id == Case.id, chosen)).where(
            rating.in_(APPLICABLE_ITEM), item_applies(instrument)
        )
    if kind == "subitem":  # stored Not Applicable where it does not apply
        return statement.join(SubitemRating, and_(SubitemRating.case_id == Case.id, chosen)).where(
            rating.in_(APPLICABLE_ITEM)
        )
    return statement.join(OutcomeRating, and_(OutcomeRating.case_id == Case.id, chosen)).where(
        rating.in_(APPLICABLE_OUTCOME)
    )


def cases_behind(site_id: int, filters: Filters, target: Target, limit: int | None = None):
    """Return the counted cases behind a figure, with that item's or outcome's rating."""
    statement = (
        select(Case)
        .where(*case_conditions(site_id, filters))
        .options(joinedload(Case.local_site))
        .order_by(Case.case_number, Case.id)
    )
    if target.kind:
        _, rating, override = rating_columns(target.kind)
        instrument = get_instrument(filters.period.instrument_version)
        statement = counted_ratings(
            statement.add_columns(rating, override), target.kind, target.id, instrument
        )
    else:
        statement = statement.add_columns(null(), null())
    if limit:
        statement = statement.limit(limit)
    return db.session.execute(statement)


def local_site_choices(site: Site) -> list[tuple[int, str]]:
    """Return (id, name) of the site's local sites the current person reaches, by name.

    A person limited to some local sites (core/scope.py) is offered only those: any
    other would count no case.
    """
    return [(local.id, local.name) for local in local_sites_in_scope(site)]


def reviewer_choices(site_id: int) -> list[tuple[int, str]]:
    """Return (id, name) of the site's reviewers, present and past, by name.

    Memberships are deactivated, never deleted, so this covers everyone who
    could have been assigned a case, without reading the site's assignments.
    """
    return list(
        db.session.execute(
            select(User.id, User.display_name)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.site_id == site_id, Membership.is_reviewer)
            .order_by(User.display_name, User.id)
        ).all()
    )
