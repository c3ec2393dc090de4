"""What an item page's script needs to show follow-up questions as the reviewer answers.

The server stays the judge: it rates from the saved answers whatever the
browser showed. The script only mirrors the instrument's conditions so that
a question appears as soon as an answer on the page makes it relevant.
"""

from review_app.instruments.engine import Evaluation, case_type_allows
from review_app.instruments.export import condition
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Question


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
