"""Build answers for whole cases from the instrument itself."""

from review_app.instruments.engine import evaluate
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Column, Question

SAMPLE = {"number": 0, "date": "2026-05-01", "text": "noted"}


def first_value(instrument: Instrument, question: Question | Column):
    """Return a valid answer: the first option, zero, a date, some text, or one table row."""
    if question.kind in ("yes_no_na", "yes_no"):
        return "yes"
    if question.kind == "choice":
        return instrument.choices(question)[0].value
    if question.kind == "multi":
        return [instrument.choices(question)[0].value]
    if question.kind == "number":
        return int(getattr(question, "min", None) or 0)
    if question.kind == "table":
        return [{column.id: first_value(instrument, column) for column in question.columns}]
    return SAMPLE[question.kind]


def complete_answers(instrument: Instrument, case_type: str, overrides: dict | None = None) -> dict:
    """Answer every question that ends up asked; ``overrides`` win."""
    answers = dict(overrides or {})
    while True:
        evaluation = evaluate(instrument, case_type, answers)
        missing = [
            qid for qid in evaluation.asked if qid not in evaluation.answers and qid not in answers
        ]
        if not missing:
            return answers
        for qid in missing:
            answers[qid] = first_value(instrument, instrument.questions[qid])
