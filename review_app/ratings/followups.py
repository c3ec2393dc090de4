"""What an item page's script needs to show follow-up questions as the reviewer answers.

The server stays the judge: it rates from the saved answers whatever the
browser showed. The script only mirrors the instrument's conditions so that
a question appears as soon as an answer on the page makes it relevant.
"""

from typing import Any

from review_app.instruments.engine import ITEM_LABELS, Evaluation, case_type_allows
from review_app.instruments.export import condition
from review_app.instruments.labels import question_prefix
from review_app.instruments.model import YES_NO_LABELS, Instrument
from review_app.instruments.schema import Item, ItemRule, Question


def page_questions(
    instrument: Instrument, questions: list[Question], case_type: str
) -> list[Question]:
    """Return the questions of an item page that this case type can ever ask."""
    return [q for q in questions if case_type_allows(instrument, q.id, case_type)]


def client_logic(instrument: Instrument, questions: list[Question], evaluation: Evaluation) -> dict:
    """Return the conditions of the page's questions and the answers they read from elsewhere."""
    on_page = {q.id for q in questions}
    reads = set()
    for q in questions:
        for gate in instrument.gates[q.id] + ([q.forced.when] if q.forced else []):
            reads |= gate.questions()
    return {
        "case_type": evaluation.case_type,
        "order": [qid for qid in instrument.order if qid in on_page],
        "kinds": {q.id: q.kind for q in questions},
        "gates": {q.id: [condition(g) for g in instrument.gates[q.id]] for q in questions},
        "forced": {
            q.id: {"when": condition(q.forced.when), "value": q.forced.value}
            for q in questions
            if q.forced
        },
        "known": {qid: evaluation.answers.get(qid) for qid in reads - on_page},
    }


def question_label(question: Question) -> str:
    """Return how people know a question: its instrument number where it has one, and its text.

    Internal ids (1-app, FS-reasons) are never shown (instruments/labels.py).
    """
    return question_prefix(question.id) + question.text


def _rule(rule: ItemRule) -> dict:
    return {"na_when": condition(rule.na_when), "strength_when": condition(rule.strength_when)}


def client_needs(instrument: Instrument, item: Item | None, questions: list[Question]) -> dict:
    """Return what the page's script needs to list what the item still lacks as answers change.

    The same rules as review_app/ratings/completeness.py: asked required questions without
    an answer, answers that need a narrative without one, and a rationale once the item
    is rated Strength or Area Needing Improvement.
    """
    data: dict[str, Any] = {
        "labels": {q.id: question_label(q) for q in questions},
        "required": [q.id for q in questions if not q.optional],
        "narrative_on": {q.id: q.narrative_answers for q in questions if q.narrative_answers},
        "answer_labels": YES_NO_LABELS,
        "rating_labels": ITEM_LABELS,
        "rating": None,
    }
    if item is not None:
        data["rating"] = {
            "applies_to": item.applies_to,
            "applicability": [q.id for q in item.applicability],
            "applies_when": condition(item.applies_when),
            "questions": [q.id for q in item.questions],
            "rule": _rule(item.rating) if not item.subitems else None,
            "subitems": [
                {
                    "applies_to": sub.applies_to,
                    "applies_when": condition(sub.applies_when),
                    "questions": [q.id for q in sub.questions],
                    "rule": _rule(sub.rating),
                }
                for sub in item.subitems
            ],
        }
    return data
