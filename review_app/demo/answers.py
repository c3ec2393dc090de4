"""Plausible complete answers for a demo case, varied but repeatable."""

import random
from collections.abc import Mapping

from review_app.instruments.engine import evaluate
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Column, Question


def _value(instrument: Instrument, question: Question | Column, rng: random.Random, no_rate: float):
    good, bad = (
        ("no", "yes") if "yes" in getattr(question, "narrative_answers", []) else ("yes", "no")
    )
    if question.kind == "yes_no_na":
        return rng.choices([good, bad, "na"], [1 - no_rate - 0.05, no_rate, 0.05])[0]
    if question.kind == "yes_no":
        return bad if rng.random() < no_rate else good
    if question.kind == "choice":
        return rng.choice(instrument.choices(question)).value
    if question.kind == "multi":
        if getattr(question, "optional", False) and rng.random() > no_rate:
            return []  # an optional list of concerns is usually left empty
        return [rng.choice(instrument.choices(question)).value]
    if question.kind == "number":
        low = int(getattr(question, "min", None) or 0)
        return low + (1 if rng.random() < no_rate else 0)
    if question.kind == "date":
        if "birth" in question.id:
            return f"{rng.randint(2009, 2022)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return f"2026-{rng.randint(4, 10):02d}-{rng.randint(1, 28):02d}"
    if question.kind == "table":
        columns = question.columns or []
        row = {column.id: _value(instrument, column, rng, 0.0) for column in columns}
        # A row's dates follow its columns' order (received, then started, then contact).
        dated = [c.id for c in columns if c.kind == "date" and "birth" not in c.id]
        return [row | dict(zip(dated, sorted(row[c] for c in dated), strict=True))]
    if question.id in ("initials", "child"):
        return rng.choice(["A.B.", "C.D.", "E.F.", "G.H."])
    return "Recorded during the review."


def complete_answers(
    instrument: Instrument,
    case_type: str,
    seed: int,
    no_rate: float = 0.12,
    no_rates: Mapping[str, float] | None = None,
) -> dict:
    """Answer every question that ends up asked; about ``no_rate`` of yes/no answers are No.

    ``no_rates`` gives some questions (by id) a share of their own.
    """
    no_rates = no_rates or {}
    rng = random.Random(seed)
    answers: dict = {}
    while True:
        evaluation = evaluate(instrument, case_type, answers)
        missing = [
            qid
            for qid in instrument.order
            if qid in evaluation.asked
            and qid not in evaluation.answers
            and qid not in answers
            # The child's demographics come from the case (face_sheet_facts), not chance.
            and not instrument.questions[qid].demographic
        ]
        if not missing:
            return answers
        for qid in missing:
            rate = no_rates.get(qid, no_rate)
            answers[qid] = _value(instrument, instrument.questions[qid], rng, rate)
