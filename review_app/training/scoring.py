"""Compare a trainee's ratings of a practice case with its answer key: plain functions.

Per item, the rating that counts (a QA override where there is one) is
compared; an item Not Applicable in both is left out, with its answers. The
answers compared are those of the remaining items' questions that have a
definite answer (yes/no, choices, numbers, dates) in either case; free text
and tables are records of what was read, not judgements, so they are not
scored.
"""

from dataclasses import dataclass, field
from typing import Any

from review_app.instruments.engine import NA, CaseRatings
from review_app.instruments.model import Instrument

SCORED_KINDS = frozenset({"yes_no_na", "yes_no", "choice", "multi", "number", "date"})


@dataclass
class ItemComparison:
    item_id: str
    trainee_rating: str
    key_rating: str
    answers_compared: int = 0
    answers_agreed: int = 0
    # {"question_id", "trainee", "key"} for each answer that differs.
    differences: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_agreed(self) -> bool:
        return self.trainee_rating == self.key_rating


@dataclass
class Comparison:
    items: list[ItemComparison]

    @property
    def items_compared(self) -> int:
        return len(self.items)

    @property
    def items_agreed(self) -> int:
        return sum(item.is_agreed for item in self.items)

    @property
    def answers_compared(self) -> int:
        return sum(item.answers_compared for item in self.items)

    @property
    def answers_agreed(self) -> int:
        return sum(item.answers_agreed for item in self.items)

    @property
    def item_percent(self) -> float:
        """Return the key match in percent (0 when no item could be compared)."""
        return 100 * self.items_agreed / self.items_compared if self.items_compared else 0.0

    def passes(self, pass_percent: int) -> bool:
        """Tell whether the key match reaches the pass mark (exactly, without rounding)."""
        return bool(self.items_compared) and (
            self.items_agreed * 100 >= pass_percent * self.items_compared
        )


def compare(instrument: Instrument, key: CaseRatings, trainee: CaseRatings) -> Comparison:
    """Compare item by item, in instrument order."""
    compared = []
    for item in instrument.definition.items:
        key_rating = key.items[item.id].effective
        trainee_rating = trainee.items[item.id].effective
        if key_rating == NA and trainee_rating == NA:
            continue
        result = ItemComparison(item.id, trainee_rating, key_rating)
        for question in instrument.item_questions(item):
            if question.kind not in SCORED_KINDS:
                continue
            theirs = key.evaluation.answers.get(question.id)
            mine = trainee.evaluation.answers.get(question.id)
            if theirs is None and mine is None:
                continue
            result.answers_compared += 1
            if theirs == mine:
                result.answers_agreed += 1
            else:
                result.differences.append(
                    {"question_id": question.id, "trainee": mine, "key": theirs}
                )
        compared.append(result)
    return Comparison(compared)
