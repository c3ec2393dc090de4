"""The rating engine: from (instrument, case type, answers) to item and outcome ratings.

Plain functions with no Flask in them. Ratings are calculated, never chosen:
- an item whose case type or applicability does not hold is Not Applicable;
- while a required question that is asked is unanswered, it is Incomplete;
- otherwise its rule gives Strength or Area Needing Improvement (ANI).
An answer to a question that is not asked (hidden) is ignored.
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from review_app.instruments.model import Instrument
from review_app.instruments.schema import (
    Condition,
    Item,
    ItemRule,
    Outcome,
    Question,
    count_matches,
)

STRENGTH, ANI, NA, INCOMPLETE = "strength", "ani", "not_applicable", "incomplete"
SUBSTANTIAL, PARTIAL, NOT_ACHIEVED = "substantially_achieved", "partially_achieved", "not_achieved"

ITEM_LABELS = {
    STRENGTH: "Strength",
    ANI: "Area Needing Improvement",
    NA: "Not Applicable",
    INCOMPLETE: "Incomplete",
}
OUTCOME_LABELS = {
    SUBSTANTIAL: "Substantially Achieved",
    PARTIAL: "Partially Achieved",
    NOT_ACHIEVED: "Not Achieved",
    NA: "Not Applicable",
    INCOMPLETE: "Incomplete",
}


def is_answered(value: Any) -> bool:
    """Tell whether a stored value counts as an answer (an empty list or text does not)."""
    return value is not None and value != "" and value != []


@dataclass
class Evaluation:
    """What a case's answers mean: which questions are asked, and their effective answers."""

    case_type: str
    asked: set[str] = field(default_factory=set)
    answers: dict[str, Any] = field(default_factory=dict)
    forced: set[str] = field(default_factory=set)

    def value(self, question_id: str) -> Any:
        return self.answers.get(question_id)


def holds(condition: Condition, evaluation: Evaluation) -> bool:
    """Evaluate a condition; a test on an unanswered question is false (but 'answered: false')."""
    if condition.case_type is not None:
        return evaluation.case_type == condition.case_type
    if condition.all is not None:
        return all(holds(child, evaluation) for child in condition.all)
    if condition.any is not None:
        return any(holds(child, evaluation) for child in condition.any)
    if condition.not_ is not None:
        return not holds(condition.not_, evaluation)
    if condition.some is not None:
        return any(evaluation.value(q) == condition.is_ for q in condition.some)
    if condition.none is not None:
        return all(evaluation.value(q) != condition.is_ for q in condition.none)
    assert condition.q is not None  # one form per condition (schema): the others returned above
    value = evaluation.value(condition.q)
    if condition.answered is not None:
        return is_answered(value) == condition.answered
    if not is_answered(value):
        return False
    return _test(condition, value)


def _test(condition: Condition, value: Any) -> bool:
    if condition.is_ is not None:
        return bool(value == condition.is_)
    if condition.in_ is not None:
        return value in condition.in_
    if condition.not_in is not None:
        return value not in condition.not_in
    if condition.checked is not None:
        if not isinstance(value, list):
            return False
        return (
            bool(value)
            if condition.checked is True
            else (not value if condition.checked is False else condition.checked in value)
        )
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    for name, test in (
        ("gt", operator.gt),
        ("ge", operator.ge),
        ("lt", operator.lt),
        ("le", operator.le),
    ):
        bound = getattr(condition, name)
        if bound is not None:
            return bool(test(value, bound))
    return False


def _case_type_fits(applies_to: list[str] | None, case_type: str) -> bool:
    return applies_to is None or case_type in applies_to


def case_type_allows(instrument: Instrument, question_id: str, case_type: str) -> bool:
    """Tell whether a question can be asked at all in a case of this type."""
    placement = instrument.placements[question_id]
    return not (
        (placement.item and not _case_type_fits(placement.item.applies_to, case_type))
        or (placement.subitem and not _case_type_fits(placement.subitem.applies_to, case_type))
    )


def evaluate(instrument: Instrument, case_type: str, answers: dict[str, Any]) -> Evaluation:
    """Work out which questions are asked and each one's effective answer."""
    evaluation = Evaluation(case_type)
    for question_id in instrument.order:
        if not case_type_allows(instrument, question_id, case_type):
            continue
        if not all(holds(gate, evaluation) for gate in instrument.gates[question_id]):
            continue
        evaluation.asked.add(question_id)
        question = instrument.questions[question_id]
        if question.forced and holds(question.forced.when, evaluation):
            evaluation.answers[question_id] = question.forced.value
            evaluation.forced.add(question_id)
        elif is_answered(answers.get(question_id)):
            evaluation.answers[question_id] = answers[question_id]
    return evaluation


@dataclass
class ItemResult:
    rating: str  # calculated from the answers
    subitems: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # asked, required and unanswered
    override: str | None = None  # set by QA with a reason; the calculated rating stays

    @property
    def effective(self) -> str:
        return self.override or self.rating


def _missing(questions: Iterable[Question], evaluation: Evaluation) -> list[str]:
    return [
        q.id
        for q in questions
        if q.id in evaluation.asked and not q.optional and q.id not in evaluation.answers
    ]


def _apply_rule(rule: ItemRule, evaluation: Evaluation) -> str:
    if rule.na_when is not None and holds(rule.na_when, evaluation):
        return NA
    assert rule.strength_when is not None  # a rule without sub-items has one (schema)
    return STRENGTH if holds(rule.strength_when, evaluation) else ANI


def rate_item(instrument: Instrument, item: Item, evaluation: Evaluation) -> ItemResult:
    """Rate one item from an evaluation of the case's answers."""
    if not _case_type_fits(item.applies_to, evaluation.case_type):
        return ItemResult(NA)
    missing = _missing(item.applicability, evaluation)
    if missing:
        return ItemResult(INCOMPLETE, missing=missing)
    if item.applies_when is not None and not holds(item.applies_when, evaluation):
        return ItemResult(NA)
    missing = _missing(item.questions, evaluation)
    if not item.subitems:
        if missing:
            return ItemResult(INCOMPLETE, missing=missing)
        return ItemResult(_apply_rule(item.rating, evaluation))
    subitems = {}
    for sub in item.subitems:
        if not _case_type_fits(sub.applies_to, evaluation.case_type) or (
            sub.applies_when is not None and not holds(sub.applies_when, evaluation)
        ):
            subitems[sub.id] = NA
            continue
        sub_missing = _missing(sub.questions, evaluation)
        missing += sub_missing
        subitems[sub.id] = INCOMPLETE if sub_missing else _apply_rule(sub.rating, evaluation)
    return ItemResult(_combine(list(subitems.values()), missing), subitems, missing)


def possible_ratings(item: Item, case_types: Iterable[str]) -> tuple[str, ...]:
    """Return the finished ratings ``item`` can get on cases of ``case_types``.

    Read from the instrument as ``rate_item`` reads it: Not Applicable is possible
    only where a case type is outside the item's ``applies_to``, where it has an
    ``applies_when``, or where its rule has an ``na_when``; an item made of
    sub-items is Not Applicable only when every sub-item can be. Items 3, 12 and
    14 of round 4 are Strength or Area Needing Improvement, never Not Applicable.
    """
    types = list(case_types)

    def can_be_na(
        applies_to: list[str] | None, applies_when: Condition | None, rule: ItemRule | None
    ) -> bool:
        return (
            any(not _case_type_fits(applies_to, kind) for kind in types)
            or applies_when is not None
            or (rule is not None and rule.na_when is not None)
        )

    if can_be_na(item.applies_to, item.applies_when, None if item.subitems else item.rating):
        return (STRENGTH, ANI, NA)
    if item.subitems and all(
        can_be_na(sub.applies_to, sub.applies_when, sub.rating) for sub in item.subitems
    ):
        return (STRENGTH, ANI, NA)
    return (STRENGTH, ANI)


def _combine(ratings: list[str], missing: list[str]) -> str:
    if missing or INCOMPLETE in ratings:
        return INCOMPLETE
    if all(r == NA for r in ratings):
        return NA
    return ANI if ANI in ratings else STRENGTH


def rate_outcome(outcome: Outcome, item_ratings: dict[str, str]) -> str:
    """Rate an outcome once all its items are rated, by the first matching clause of its rule."""
    ratings = [item_ratings[item_id] for item_id in outcome.items]
    if INCOMPLETE in ratings:
        return INCOMPLETE
    if all(r == NA for r in ratings):
        return NA
    strengths, anis = ratings.count(STRENGTH), ratings.count(ANI)
    for clause in outcome.rule:
        if count_matches(clause.strength, strengths) and count_matches(clause.ani, anis):
            return clause.rating
    raise ValueError(f"outcome {outcome.id} has no clause for {strengths} Strength, {anis} ANI")


@dataclass
class CaseRatings:
    items: dict[str, ItemResult]
    outcomes: dict[str, str]
    evaluation: Evaluation

    def as_dict(self) -> dict[str, Any]:
        """Return plain data, as `instruments rate` prints it."""
        return {
            "items": {
                item_id: {
                    "rating": r.rating,
                    **({"subitems": r.subitems} if r.subitems else {}),
                    **({"override": r.override} if r.override else {}),
                    "missing": r.missing,
                }
                for item_id, r in self.items.items()
            },
            "outcomes": dict(self.outcomes),
        }


def rate_case(
    instrument: Instrument,
    case_type: str,
    answers: dict[str, Any],
    overrides: dict[str, str] | None = None,
) -> CaseRatings:
    """Rate every item and outcome of a case; outcomes use ``overrides`` of item ratings."""
    if case_type not in instrument.definition.case_types:
        raise ValueError(
            f"unknown case type {case_type!r}; use {', '.join(instrument.definition.case_types)}"
        )
    evaluation = evaluate(instrument, case_type, answers)
    items = {
        item.id: rate_item(instrument, item, evaluation) for item in instrument.definition.items
    }
    for item_id, rating in (overrides or {}).items():
        if item_id in items and items[item_id].rating != INCOMPLETE:
            items[item_id].override = rating
    ratings = {item_id: result.effective for item_id, result in items.items()}
    outcomes = {o.id: rate_outcome(o, ratings) for o in instrument.definition.outcomes}
    return CaseRatings(items, outcomes, evaluation)
