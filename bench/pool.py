"""A pool of complete, rated answer sets that the generator draws cases from.

Answering and rating a case in Python takes a few milliseconds; doing it for
100,000 cases would take minutes. Instead a few hundred answer sets per case type
are answered by the demo's answerer (review_app.demo.answers) and rated by the
real engine, each with its own share of unfavourable answers and now and then a
QA override, and their COPY text is built once. Cases draw from the pool, so the
data are varied and every stored rating is the one the engine gives.
"""

import random
from dataclasses import dataclass

from bench.copying import NULL, json_text, text
from review_app.demo.answers import complete_answers
from review_app.instruments.answers import parse
from review_app.instruments.engine import ANI, STRENGTH, evaluate, rate_case
from review_app.instruments.model import Instrument
from review_app.ratings.models import FACE_SHEET
from review_app.ratings.operations import item_questions

NARRATIVE = "Explained in the case file and the caseworker interview."
RATIONALE = "Rated from the case file and interviews."
OVERRIDE_REASON = "The interviews contradict the file on this point; rated on the interviews."
OVERRIDE_SHARE = 0.05  # of answer sets where QA overrode one item


@dataclass(frozen=True)
class AnswerSet:
    """One rated case's answers and ratings, as the tails of COPY lines."""

    case_type: str
    # "question_id\tvalue\tnarrative" of every answer not copied from the case facts.
    answers: list[str]
    # Face sheet questions answered from a case fact: (question id, fact name).
    prefilled: list[tuple[str, str]]
    # ("item_id\trating\trationale\toverride_rating\toverride_reason", overridden),
    # face sheet first.
    items: list[tuple[str, bool]]
    outcomes: list[str]  # "outcome_id\trating"
    submitted: list[str]  # "item_id\trating": the calculated ratings QA first received
    rated_items: list[str]  # items rated Strength or ANI (where QA threads are anchored)


def _answer_set(instrument: Instrument, case_type: str, seed: int) -> AnswerSet:
    rng = random.Random(seed)
    raw = complete_answers(instrument, case_type, seed, no_rate=rng.uniform(0.04, 0.3))
    answers = {
        qid: parse(instrument, instrument.questions[qid], value) for qid, value in raw.items()
    }
    effective = evaluate(instrument, case_type, answers).answers
    calculated = rate_case(instrument, case_type, answers)
    rated = [i for i, r in calculated.items.items() if r.rating in (STRENGTH, ANI)]
    overrides = {}
    if rated and rng.random() < OVERRIDE_SHARE:
        item_id = rated[0]  # as QA does in the demo: the first rated item, flipped
        overrides[item_id] = ANI if calculated.items[item_id].rating == STRENGTH else STRENGTH
    final = rate_case(instrument, case_type, answers, overrides)
    prefilled, tails = [], []
    for item_id in [FACE_SHEET, *instrument.items]:
        for question in item_questions(instrument, item_id):
            value = answers.get(question.id)
            if value is None:
                continue
            if question.prefill_from:
                prefilled.append((question.id, question.prefill_from))
                continue
            narrative = (
                NARRATIVE if effective.get(question.id) in question.narrative_answers else ""
            )
            tails.append(f"{text(question.id)}\t{json_text(value)}\t{text(narrative)}")
    items = [(f"{FACE_SHEET}\tincomplete\t\t{NULL}\t", False)]
    for item_id, result in final.items.items():
        reason = text(OVERRIDE_REASON) if result.override else ""
        tail = f"{item_id}\t{result.rating}\t{RATIONALE}\t{text(result.override)}\t{reason}"
        items.append((tail, bool(result.override)))
    return AnswerSet(
        case_type=case_type,
        answers=tails,
        prefilled=prefilled,
        items=items,
        outcomes=[f"{outcome}\t{rating}" for outcome, rating in final.outcomes.items()],
        submitted=[f"{i}\t{r.rating}" for i, r in calculated.items.items()],
        rated_items=rated,
    )


def build(instrument: Instrument, size: int, seed: int) -> dict[str, list[AnswerSet]]:
    """Return ``size`` answer sets per case type."""
    return {
        case_type: [
            _answer_set(instrument, case_type, seed * 1_000_003 + n * 2 + index)
            for n in range(size)
        ]
        for index, case_type in enumerate(instrument.definition.case_types)
    }
