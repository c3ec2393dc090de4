"""The columns of the source-data export: case facts, every question, every rating."""

import json
from collections.abc import Callable, Iterator
from typing import Any

from review_app.exports.queries import CaseData
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.instruments.model import Instrument
from review_app.periods.models import ReviewPeriod
from review_app.ratings.models import FACE_SHEET
from review_app.ratings.operations import item_questions

Column = tuple[str, Callable[[CaseData], Any]]


def _value(value: Any) -> Any:
    """Return an answer as one spreadsheet cell."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    return json.dumps(value, ensure_ascii=False)


def _practice(case) -> str:
    """Say whether a Training site case is an answer key or a trainee's copy of one."""
    if case.is_key:
        return "answer key"
    return "trainee copy" if case.key_case_id else ""


def _facts(period: ReviewPeriod) -> list[Column]:
    def date(value):
        return value.isoformat() if value else ""

    return [
        ("case_number", lambda d: d.case.case_number),
        ("case_type", lambda d: d.case.case_type),
        ("local_site_code", lambda d: d.case.local_site.code),
        ("local_site", lambda d: d.case.local_site.name),
        ("status", lambda d: d.case.status),
        ("practice", lambda d: _practice(d.case)),
        ("reviewers", lambda d: "; ".join(u.username for u in d.case.reviewers)),
        ("pur_start", lambda d: date(period.pur_start or d.case.pur_start)),
        ("submitted_at", lambda d: date(d.case.submitted_at)),
        ("finalized_at", lambda d: date(d.case.finalized_at)),
        ("elimination_reason", lambda d: d.case.elimination_reason or ""),
    ]


def _answer(question_id: str) -> Callable[[CaseData], Any]:
    def read(data: CaseData) -> Any:
        row = data.answers.get(question_id)
        return _value(row.value) if row else None

    return read


def _narrative(question_id: str) -> Callable[[CaseData], Any]:
    def read(data: CaseData) -> str:
        row = data.answers.get(question_id)
        return row.narrative if row else ""

    return read


def _outcome(outcome_id: str) -> Callable[[CaseData], Any]:
    def read(data: CaseData) -> str:
        rating = data.outcomes.get(outcome_id)
        return OUTCOME_LABELS.get(rating, "") if rating else ""

    return read


def _item(item_id: str, field: str) -> Callable[[CaseData], Any]:
    def read(data: CaseData) -> str:
        review = data.reviews.get(item_id)
        if review is None:
            return ""
        if field == "rating":
            rating = review.override_rating or review.rating
            return ITEM_LABELS.get(rating, rating)
        if field == "calculated":
            return ITEM_LABELS.get(review.rating, review.rating)
        return getattr(review, field) or ""

    return read


def columns(instrument: Instrument, period: ReviewPeriod) -> list[Column]:
    """Return (header, reader) for every column, in instrument order."""
    found = _facts(period)
    for item_id in [FACE_SHEET, *instrument.items]:
        for question in item_questions(instrument, item_id):
            found.append((question.id, _answer(question.id)))
            if question.narrative_answers:
                found.append((f"{question.id} narrative", _narrative(question.id)))
        if item_id == FACE_SHEET:
            continue
        number = instrument.items[item_id].number
        found += [
            (f"item {number} rating", _item(item_id, "rating")),
            (f"item {number} calculated rating", _item(item_id, "calculated")),
            (f"item {number} override reason", _item(item_id, "override_reason")),
            (f"item {number} rationale", _item(item_id, "rationale")),
        ]
    for outcome in instrument.definition.outcomes:
        found.append((f"{outcome.id} rating", _outcome(outcome.id)))
    return found


def rows(found: list[Column], cases: Iterator[CaseData]) -> Iterator[list]:
    for data in cases:
        yield [read(data) for _, read in found]
