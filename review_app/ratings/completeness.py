"""What a case still lacks before it can be submitted: answers, narratives, rationales."""

from dataclasses import dataclass

from review_app.instruments.engine import ANI, STRENGTH, CaseRatings, Evaluation
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Question
from review_app.ratings.dates import face_sheet_date_errors
from review_app.ratings.models import FACE_SHEET, Answer, ItemReview
from review_app.ratings.queries import answer_values


@dataclass(frozen=True)
class Gap:
    item_id: str  # FACE_SHEET for the face sheet
    question_id: str | None
    message: str
    kind: str = "answer"  # "answer", "narrative" or "rationale"

    @property
    def anchor(self) -> str:
        return f"q-{self.question_id}" if self.question_id else "rationale"


def gaps(
    instrument: Instrument,
    ratings: CaseRatings,
    rows: dict[str, Answer],
    reviews: dict[str, ItemReview],
) -> list[Gap]:
    """List every missing answer, narrative and rationale, in instrument order."""
    evaluation = ratings.evaluation
    found = []
    for question in instrument.definition.face_sheet:
        if (
            question.id in evaluation.asked
            and not question.optional
            and question.id not in evaluation.answers
        ):
            found.append(Gap(FACE_SHEET, question.id, f"Face sheet: answer “{question.text}”"))
        elif gap := _narrative_gap(instrument, evaluation, rows, question, "Face sheet"):
            found.append(Gap(FACE_SHEET, question.id, gap, "narrative"))
    values = answer_values(rows)
    for question_id, message in face_sheet_date_errors(values, None).items():
        found.append(Gap(FACE_SHEET, question_id, f"Face sheet: {message}"))
    for item in instrument.definition.items:
        result = ratings.items[item.id]
        label = f"Item {item.number}"
        for question_id in result.missing:
            found.append(
                Gap(
                    item.id,
                    question_id,
                    f"{label}: answer {_named(instrument, question_id)}",
                )
            )
        for question in instrument.item_questions(item):
            if gap := _narrative_gap(instrument, evaluation, rows, question, label):
                found.append(Gap(item.id, question.id, gap, "narrative"))
        review = reviews.get(item.id)
        if result.rating in (STRENGTH, ANI) and not (review and review.rationale.strip()):
            found.append(
                Gap(item.id, None, f"{label}: write the rationale for the rating", "rationale")
            )
    return found


def item_gaps(
    instrument: Instrument,
    ratings: CaseRatings,
    rows: dict[str, Answer],
    reviews: dict[str, ItemReview],
    item_id: str,
) -> list[Gap]:
    """List what one item (or the face sheet) still needs, by the same rules as the case's list."""
    return [gap for gap in gaps(instrument, ratings, rows, reviews) if gap.item_id == item_id]


def _narrative_gap(
    instrument: Instrument,
    evaluation: Evaluation,
    rows: dict[str, Answer],
    question: Question,
    label: str,
) -> str:
    """Say which narrative the answer needs and lacks (the file's ``narrative_on``), or ''."""
    value = evaluation.answers.get(question.id)
    row = rows.get(question.id)
    if value not in question.narrative_answers or (row and row.narrative.strip()):
        return ""
    answer = instrument.value_text(question.id, value)
    return f"{label}: explain the answer “{answer}” to {_named(instrument, question.id)}"


def _named(instrument: Instrument, question_id: str) -> str:
    """Return 'question 1A, “Its text”' or, for a question without a number, '“Its text”'."""
    text = f"“{instrument.questions[question_id].text}”"
    number = instrument.question_prefix(question_id).rstrip(". ")
    return f"question {number}, {text}" if number else text
