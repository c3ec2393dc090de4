"""The questions an analysis can put on its rows or columns, as a registry of sources.

A source is a function that, given what the page has read of the site (``Scope``),
returns the questions it offers, each an ``Axis``: a key kept in URLs and saved
analyses ("item:4", "answer:4C", "case:case_type"), words for people, the answers
it knows in order, and how SQL reads a case's answer. To offer new questions (a
face-sheet field, a demographic), write a source and add it to ``SOURCES``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, true
from sqlalchemy.orm import aliased

from review_app.analysis.answers import EffectiveAnswers, Join
from review_app.analysis.lists import list_answers
from review_app.cases import demographics
from review_app.cases.models import CASE_TYPES, Case, CaseRace
from review_app.instruments.engine import ANI, NA, STRENGTH
from review_app.instruments.model import Instrument
from review_app.periods.models import ReviewPeriod
from review_app.ratings.models import ItemReview, SubitemRating
from review_app.sites.models import LocalSite, Site

NO_ANSWER = "-"  # the code of the "No answer" row or column: never a stored value
NO_ANSWER_LABEL = "No answer"
ITEM_RATINGS = ((STRENGTH, "Strength"), (ANI, "Area Needing Improvement"), (NA, "Not Applicable"))
# Questions whose answer is one value of a known list; several boxes and tables' choice
# columns are read by lists.py; numbers, dates and texts have no rows to count by.
ANSWER_KINDS = ("yes_no", "yes_no_na", "choice")


@dataclass
class Scope:
    """What the page has read of the site, from which the sources build their questions."""

    site: Site
    periods: list[ReviewPeriod]
    local_sites: list[LocalSite]
    reviewers: list[tuple[int, str]]
    instrument: Instrument | None


@dataclass(frozen=True)
class Value:
    """One answer a question knows: its code in URLs, its words, and its stored value."""

    code: str
    label: str
    stored: Any


@dataclass(frozen=True)
class Axis:
    """A question as one axis of the table.

    ``read(name)`` returns the SQL expression of a case's answer and the outer joins
    it needs; ``name`` keeps the joined tables of the two axes apart.
    """

    key: str
    label: str
    group: str
    values: tuple[Value, ...]
    read: Callable[[str], tuple[Any, list[Join]]] = field(compare=False)
    no_answer: str = NO_ANSWER_LABEL  # the words of the row or column of cases without one
    # Several answers per case (races): a case counts once under each, so totals add up
    # answers, not cases; the page says so in these words.
    several: str = ""

    def codes(self) -> list[tuple[str, str]]:
        """Return (code, words) of every row or column: each answer, then "No answer"."""
        return [(value.code, value.label) for value in self.values] + [(NO_ANSWER, self.no_answer)]

    def code_of(self, stored: Any) -> str:
        """Return the code a stored answer counts under: an unknown one counts as no answer."""
        for value in self.values:
            if value.stored == stored:
                return value.code
        return NO_ANSWER

    def label_of(self, code: str) -> str:
        return dict(self.codes()).get(code, self.no_answer)

    def matches(self, expression: ColumnElement[Any], code: str) -> ColumnElement[bool]:
        """Return the condition that a case's answer counts under ``code``."""
        for value in self.values:
            if value.code == code:
                return expression == value.stored
        known = [value.stored for value in self.values]
        return or_(expression.is_(None), expression.not_in(known)) if known else true()


def case_facts(scope: Scope) -> Iterable[Axis]:
    """Case type, local site and review period: facts every case has."""
    types = scope.instrument.definition.case_types if scope.instrument else CASE_TYPES
    yield Axis(
        "case:case_type",
        "Case type",
        "Case facts",
        tuple(Value(code, label, code) for code, label in types.items()),
        lambda _name: (Case.case_type, []),
    )
    yield Axis(
        "case:local_site",
        "Local site",
        "Case facts",
        tuple(Value(str(local.id), local.name, local.id) for local in scope.local_sites),
        lambda _name: (Case.local_site_id, []),
    )
    yield Axis(
        "case:period",
        "Review period",
        "Case facts",
        tuple(Value(str(period.id), period.name, period.id) for period in scope.periods),
        lambda _name: (Case.period_id, []),
    )


def _races(name: str) -> tuple[Any, list[Join]]:
    race = aliased(CaseRace, name=f"{name}_race")
    return race.race, [(race, race.case_id == Case.id)]


def _column(column: Any) -> Callable[[str], tuple[Any, list[Join]]]:
    """Read a column of the case itself: nothing to join."""
    return lambda _name: (column, [])


def demographic_facts(scope: Scope) -> Iterable[Axis]:
    """The child's sex, races, Hispanic or Latino ethnicity (as the instrument declares
    them) and age group at the start of the period under review (demographics.py)."""
    group = "The child"
    yield Axis(
        "case:age",
        "Child’s age at the start of the period under review",
        group,
        tuple(Value(name, f"Aged {name}", name) for name in demographics.AGE_GROUPS),
        lambda _name: (demographics.age_group(), []),
        demographics.NOT_RECORDED,
    )
    declared = demographics.categories(scope.instrument)
    columns = {"sex": Case.child_sex, "hispanic": Case.child_hispanic}
    for name, category in declared.items():
        values = tuple(Value(code, label, code) for code, label in category.choices.items())
        if name == "race":
            yield Axis(
                "case:race",
                category.label,
                group,
                values,
                _races,
                demographics.NOT_RECORDED,
                "A child of several races counts once under each of them, so the "
                "race totals add up to more than the cases counted.",
            )
        else:
            column = columns[name]
            yield Axis(
                f"case:{name}",
                category.label,
                group,
                values,
                _column(column),
                demographics.NOT_RECORDED,
            )


def _item_rating(item_id: str) -> Callable[[str], tuple[Any, list[Join]]]:
    def read(name: str) -> tuple[Any, list[Join]]:
        review = aliased(ItemReview, name=f"{name}_item")
        on = and_(review.case_id == Case.id, review.item_id == item_id)
        return func.coalesce(review.override_rating, review.rating), [(review, on)]

    return read


def _subitem_rating(subitem_id: str) -> Callable[[str], tuple[Any, list[Join]]]:
    def read(name: str) -> tuple[Any, list[Join]]:
        rating = aliased(SubitemRating, name=f"{name}_subitem")
        on = and_(rating.case_id == Case.id, rating.subitem_id == subitem_id)
        return rating.rating, [(rating, on)]

    return read


def item_ratings(scope: Scope) -> Iterable[Axis]:
    """Every item's rating (QA's override where there is one), each followed by its
    sub-items' (12A, 12B, 12C: their calculated ratings, which an override leaves as
    they are; an incomplete one counts as no answer)."""
    if scope.instrument is None:
        return
    ratings = tuple(Value(code, label, code) for code, label in ITEM_RATINGS)
    for item in scope.instrument.items.values():
        yield Axis(
            f"item:{item.id}",
            f"Item {item.number} rating: {item.title}",
            "Item ratings",
            ratings,
            _item_rating(item.id),
        )
        for sub in item.subitems:
            yield Axis(
                f"subitem:{sub.id}",
                f"Item {sub.id} rating: {sub.title}",
                "Item ratings",
                ratings,
                _subitem_rating(sub.id),
            )


def _answer(instrument: Instrument, question_id: str) -> Callable[[str], tuple[Any, list[Join]]]:
    def read(name: str) -> tuple[Any, list[Join]]:
        answers = EffectiveAnswers(instrument, name)
        return answers.value(question_id), answers.joins

    return read


SEVERAL_BOXES = (
    "A case with several boxes checked counts once under each of them, so the totals "
    "add up to more than the cases counted."
)
SEVERAL_ROWS = (
    "A case whose rows give different answers counts once under each of them (once "
    "however many rows give the same one), so the totals add up to more than the cases counted."
)


def instrument_answers(scope: Scope) -> Iterable[Axis]:
    """The effective answer to every yes/no and single-choice question (see answers.py),
    every multi-select question's boxes and every choice column of a table (lists.py),
    in the instrument's order."""
    instrument = scope.instrument
    if instrument is None:
        return
    for question_id, question in instrument.questions.items():
        item = instrument.placements[question_id].item
        group = f"Item {item.number}: {item.title}" if item else "Face sheet"
        number = instrument.question_number(question_id)
        label = f"{number + '. ' if number else ''}{question.text.strip()}"
        if question.kind in ANSWER_KINDS or question.kind == "multi":
            values = tuple(Value(code, words, code) for code, words in instrument.options(question))
            if question.kind == "multi":
                read = list_answers(instrument, question_id)
                yield Axis(
                    f"boxes:{question_id}", label, group, values, read, several=SEVERAL_BOXES
                )
            else:
                yield Axis(
                    f"answer:{question_id}", label, group, values, _answer(instrument, question_id)
                )
        for column in question.columns or []:
            if column.kind != "choice":
                continue
            yield Axis(
                f"column:{question_id}:{column.id}",
                f"{label}: {column.text.strip()[:1].lower()}{column.text.strip()[1:]}",
                group,
                tuple(Value(code, words, code) for code, words in instrument.options(column)),
                list_answers(instrument, question_id, column.id),
                several=SEVERAL_ROWS,
            )


# In the order the question lists show them.
SOURCES: list[Callable[[Scope], Iterable[Axis]]] = [
    case_facts,
    demographic_facts,
    item_ratings,
    instrument_answers,
]


def questions(scope: Scope) -> dict[str, Axis]:
    """Return every question the sources offer, by key, in the order they offer them."""
    return {axis.key: axis for source in SOURCES for axis in source(scope)}
