"""The target child's demographics: categories from the instrument, SQL conditions on cases.

The categories (sex, race, Hispanic or Latino ethnicity) are data in the instrument
file (``demographics:``); cases store their codes. Every report that filters or
breaks down figures by them, or by age group, builds its SQL here, so they all
count a child the same way:

- ``age_group_condition(group)``, ``race_condition(code)``, ``sex_condition(code)``,
  ``hispanic_condition(code)``: conditions on ``Case`` for a statement's WHERE;
- ``age_years()``, ``age_group()``: the child's age, and its group's name, at the
  start of the period under review, as SQL expressions (to select or GROUP BY);
- ``categories(instrument)``: the codes and plain labels, per field.

Race rows are in ``case_races``: grouping by ``CaseRace.race`` (joined to ``Case``)
counts a child of several races once in each of their races.
"""

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    case,
    cast,
    extract,
    func,
    literal_column,
    null,
    select,
)

from review_app.cases.models import Case, CaseRace
from review_app.instruments.model import Instrument
from review_app.periods.models import ReviewPeriod

FIELDS = ("sex", "race", "hispanic")
NOT_RECORDED = "Not recorded"
# Ages in whole years on the first day of the period under review: name -> (youngest, oldest).
AGE_GROUPS: dict[str, tuple[int, int]] = {
    "0-4": (0, 4),
    "5-9": (5, 9),
    "10-14": (10, 14),
    "15-17": (15, 17),
    "18+": (18, 200),
}


@dataclass(frozen=True)
class Category:
    """One demographic field as the instrument declares it."""

    name: str  # "sex", "race" or "hispanic"
    label: str
    help: str
    multiple: bool
    choices: dict[str, str]  # code -> plain label, in the instrument's order

    def label_of(self, code: str | None) -> str:
        """Return a code's plain label ("Not recorded" for none; the code if unknown)."""
        return self.choices.get(code, code) if code else NOT_RECORDED

    def code_of(self, text: str) -> str | None:
        """Return the code a code or label stands for, ignoring case; None if neither."""
        wanted = text.strip().lower()
        for code, label in self.choices.items():
            if wanted in (code.lower(), label.lower()):
                return code
        return None


def categories(instrument: Instrument | None) -> dict[str, Category]:
    """Return field name -> Category of the instrument (empty when it declares none)."""
    declared = instrument.definition.demographics if instrument else None
    if declared is None:
        return {}
    return {
        name: Category(
            name,
            field.label,
            field.help,
            field.multiple,
            {choice.value: choice.label for choice in field.choices},
        )
        for name in FIELDS
        for field in [getattr(declared, name)]
    }


def _number(value: int) -> ColumnElement[int]:
    """Return a constant written into the SQL, not a parameter.

    PostgreSQL groups by an expression only when the grouped one reads exactly as the
    selected one; parameters are numbered anew in each place, constants are not. So
    ``age_group()`` may be selected and grouped by as it is.
    """
    return literal_column(str(int(value)), Integer)


def _day_number(column) -> ColumnElement[int]:
    """Return a date as the number YYYYMMDD (the same SQL on SQLite and PostgreSQL)."""
    return (
        cast(extract("year", column), Integer) * _number(10000)
        + cast(extract("month", column), Integer) * _number(100)
        + cast(extract("day", column), Integer)
    )


def pur_start_number() -> ColumnElement[int]:
    """Return the start of a case's period under review as YYYYMMDD.

    The case's own start (periods with an open start), else its period's, else
    twelve months before the period's end. A correlated lookup of the period by
    its key, so a statement need not join the periods.
    """
    period = (
        select(
            func.coalesce(
                _day_number(ReviewPeriod.pur_start),
                _day_number(ReviewPeriod.pur_end) - _number(10000),
            )
        )
        .where(ReviewPeriod.id == Case.period_id)
        .scalar_subquery()
    )
    return func.coalesce(_day_number(Case.pur_start), period)


def age_years() -> ColumnElement[int]:
    """Return the child's age in whole years at the start of the period under review.

    YYYYMMDD numbers subtract to whole years in their ten-thousands. A child born
    after the start is 0; without a birth date the age is NULL.
    """
    days = pur_start_number() - _day_number(Case.child_birth_date)
    return case((days < _number(0), _number(0)), else_=days // _number(10000))


def age_group() -> ColumnElement[str]:
    """Return the name of the child's age group (NULL without a birth date)."""
    years = age_years()
    return case(
        *(
            (years <= _number(oldest), literal_column(f"'{name}'", String))
            for name, (_, oldest) in AGE_GROUPS.items()  # names of digits, "-" and "+"
        ),
        else_=null(),
    )


def age_group_condition(group: str) -> ColumnElement[bool]:
    """Return the condition that a case's child is in the age group (a key of AGE_GROUPS)."""
    youngest, oldest = AGE_GROUPS[group]
    return age_years().between(youngest, oldest)


def race_condition(code: str) -> ColumnElement[bool]:
    """Return the condition that the child's races include ``code``."""
    return Case.id.in_(select(CaseRace.case_id).where(CaseRace.race == code))


def sex_condition(code: str) -> ColumnElement[bool]:
    return Case.child_sex == code


def hispanic_condition(code: str) -> ColumnElement[bool]:
    return Case.child_hispanic == code


def described(case: Case, declared: dict[str, Category]) -> list[tuple[str, str]]:
    """Return (field label, value in words) for each declared field, as a case page shows it."""
    given = {
        "sex": [case.child_sex] if case.child_sex else [],
        "race": case.child_races,
        "hispanic": [case.child_hispanic] if case.child_hispanic else [],
    }
    return [
        (
            category.label,
            ", ".join(category.label_of(code) for code in given[name]) or NOT_RECORDED,
        )
        for name, category in declared.items()
    ]


def conditions(
    age_group: str = "", sex: str = "", race: str = "", hispanic: str = ""
) -> list[ColumnElement[bool]]:
    """Return the conditions on ``Case`` for the child's age group and demographics ("": any).

    The age group is the child's at the start of the period under review.
    """
    found = []
    if age_group in AGE_GROUPS:
        found.append(age_group_condition(age_group))
    if sex:
        found.append(sex_condition(sex))
    if race:
        found.append(race_condition(race))
    if hispanic:
        found.append(hispanic_condition(hispanic))
    return found
