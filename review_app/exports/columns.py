"""The columns of the source-data export: case facts, every question, every rating.

A person reads each column by its header: the instrument's item and question
number and a short form of the question's text, never the instrument's ids.
Each column also has a key that stays the same while the wording may change
(the question's id, or the name a fact had in earlier exports); the workbook's
Questions sheet lists every column with its key, its full question and the
answer codes behind the labels the data sheet shows.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from review_app.cases.demographics import categories
from review_app.cases.models import ELIMINATION_REASONS
from review_app.exports.queries import CaseData
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.instruments.labels import short
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Question
from review_app.periods.models import ReviewPeriod
from review_app.ratings.models import FACE_SHEET
from review_app.ratings.operations import item_questions

# Long enough to tell questions of one item apart, short enough for a column header.
HEADER_TEXT = 60
# Headers are plain ASCII: a CSV opened by a spreadsheet program that guesses its
# encoding shows them as written, and scripts can name them easily.
# Answers shown by their labels (the codebook gives their codes).
LABELLED = ("yes_no", "yes_no_na", "choice", "multi", "table")
CODEBOOK_HEADER = ["Column", "Key", "Item", "Question", "Answers"]


@dataclass(frozen=True)
class Column:
    """One column: what a person reads, the key that stays, how to read a case's cell."""

    header: str
    key: str
    read: Callable[[CaseData], Any]
    item: str = ""  # "Item 5", "Face sheet"; empty for a case fact
    question: str = ""  # the question's whole text, or what the column holds
    answers: str = ""  # the codes behind the labels: "yes = Yes; no = No"


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


def _demographics(instrument: Instrument) -> list[Column]:
    """Return the child's sex, races and ethnicity columns, in words (codes in the codebook)."""
    found = []
    for name, category in categories(instrument).items():

        def read(data: CaseData, name=name, category=category) -> str:
            case = data.case
            codes = {
                "sex": [case.child_sex] if case.child_sex else [],
                "race": case.child_races,
                "hispanic": [case.child_hispanic] if case.child_hispanic else [],
            }[name]
            return "; ".join(category.label_of(code) for code in codes)

        codes = "; ".join(f"{code} = {label}" for code, label in category.choices.items())
        header = {"sex": "Child's sex", "race": "Child's race", "hispanic": "Hispanic or Latino"}
        found.append(Column(header[name], f"child_{name}", read, "", category.label, codes))
    return found


def _subitem(subitem_id: str) -> Callable[[CaseData], Any]:
    def read(data: CaseData) -> str:
        rating = data.subitems.get(subitem_id)
        return ITEM_LABELS.get(rating, rating) if rating else ""

    return read


def _facts(period: ReviewPeriod) -> list[Column]:
    def date(value):
        return value.isoformat() if value else ""

    def fact(header: str, key: str, read: Callable[[CaseData], Any], about: str) -> Column:
        return Column(header, key, read, question=about)

    reasons = ELIMINATION_REASONS
    return [
        fact("Case number", "case_number", lambda d: d.case.case_number, "The case's number"),
        fact("Case type", "case_type", lambda d: d.case.case_type_label, "Foster care or in-home"),
        fact("Local site code", "local_site_code", lambda d: d.case.local_site.code, ""),
        fact("Local site", "local_site", lambda d: d.case.local_site.name, ""),
        fact("Status", "status", lambda d: d.case.status_label, "The case's status now"),
        fact("Practice", "practice", lambda d: _practice(d.case), "Training sites only"),
        fact(
            "Reviewers",
            "reviewers",
            lambda d: "; ".join(u.display_name for u in d.case.reviewers),
            "The reviewers assigned to the case",
        ),
        fact(
            "Start of the period under review",
            "pur_start",
            lambda d: date(period.pur_start or d.case.pur_start),
            "",
        ),
        fact("Submitted for QA", "submitted_at", lambda d: date(d.case.submitted_at), "Date"),
        fact("Finalized", "finalized_at", lambda d: date(d.case.finalized_at), "Date"),
        fact(
            "Elimination reason",
            "elimination_reason",
            lambda d: reasons.get(d.case.elimination_reason or "", d.case.elimination_reason or ""),
            "Why the case left the sample, if it did",
        ),
    ]


def _answer(instrument: Instrument, question: Question) -> Callable[[CaseData], Any]:
    if question.kind == "table":
        return lambda data: _cell(
            data, question.id, lambda v: instrument.value_text(question.id, v)
        )
    if question.kind not in LABELLED:
        return lambda data: _cell(data, question.id, _value)
    labels = dict(instrument.options(question))  # once per column, not per cell

    def words(value: Any) -> str:
        if isinstance(value, list):
            return "; ".join(labels.get(v, str(v)) for v in value)
        return labels.get(value, str(value))

    return lambda data: _cell(data, question.id, words)


def _cell(data: CaseData, question_id: str, show: Callable[[Any], Any]) -> Any:
    row = data.answers.get(question_id)
    return None if row is None or row.value is None else show(row.value)


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


def _codes(instrument: Instrument, question: Question) -> str:
    """List the codes behind the labels an answer is shown with, table columns included."""
    if question.kind == "table":
        return "; ".join(
            f"{column.text} ({column.id})"
            + (
                ": " + ", ".join(f"{v} = {label}" for v, label in instrument.options(column))
                if column.kind in ("yes_no", "yes_no_na", "choice", "multi")
                else ""
            )
            for column in question.columns or []
        )
    if question.kind in LABELLED:
        return "; ".join(f"{v} = {label}" for v, label in instrument.options(question))
    return ""


def _questions(instrument: Instrument, item_id: str) -> list[Column]:
    place = "Face sheet" if item_id == FACE_SHEET else f"Item {instrument.items[item_id].number}"
    found = []
    for question in item_questions(instrument, item_id):
        text = short(question.text, HEADER_TEXT).replace("…", "...")
        header = f"{place} - {instrument.question_prefix(question.id)}{text}"
        found.append(
            Column(
                header,
                question.id,
                _answer(instrument, question),
                place,
                question.text,
                _codes(instrument, question),
            )
        )
        if question.narrative_answers:
            when = " or ".join(
                dict(instrument.options(question)).get(v, v) for v in question.narrative_answers
            )
            found.append(
                Column(
                    f"{header} - narrative",
                    f"{question.id} narrative",
                    _narrative(question.id),
                    place,
                    f"Narrative explaining the answer (needed when it is {when}): {question.text}",
                )
            )
    return found


def _unique(found: list[Column]) -> list[Column]:
    """Number a header that a shortened text made the same as an earlier one."""
    seen: set[str] = set()
    unique = []
    for column in found:
        header, n = column.header, 2
        while header in seen:
            header = f"{column.header} ({n})"
            n += 1
        seen.add(header)
        unique.append(column if header == column.header else replace(column, header=header))
    return unique


def columns(instrument: Instrument, period: ReviewPeriod) -> list[Column]:
    """Return every column, in instrument order, with headers that are unique."""
    found = _facts(period) + _demographics(instrument)
    for item_id in [FACE_SHEET, *instrument.items]:
        found += _questions(instrument, item_id)
        if item_id == FACE_SHEET:
            continue
        number = instrument.items[item_id].number
        place = f"Item {number}"
        ratings = ", ".join(ITEM_LABELS[r] for r in ("strength", "ani", "not_applicable"))
        found += [
            Column(
                f"{place} - Rating",
                f"item {number} rating",
                _item(item_id, "rating"),
                place,
                "The rating that counts (a QA override where there is one)",
                ratings,
            ),
            Column(
                f"{place} - Calculated rating",
                f"item {number} calculated rating",
                _item(item_id, "calculated"),
                place,
                "The rating the answers give",
                ratings,
            ),
            Column(
                f"{place} - QA override reason",
                f"item {number} override reason",
                _item(item_id, "override_reason"),
                place,
                "Why QA changed the rating",
            ),
            Column(
                f"{place} - Rationale",
                f"item {number} rationale",
                _item(item_id, "rationale"),
                place,
                "The reviewer's rationale for the rating",
            ),
        ]
        found += [
            Column(
                f"{place} - Sub-item {sub.id} - Rating",
                f"subitem {sub.id} rating",
                _subitem(sub.id),
                place,
                f"Sub-item {sub.id}, {sub.title}: the rating its answers give",
                ratings,
            )
            for sub in instrument.items[item_id].subitems
        ]
    for outcome in instrument.definition.outcomes:
        found.append(
            Column(
                f"{outcome.label} - Rating",
                f"{outcome.id} rating",
                _outcome(outcome.id),
                outcome.label,
                outcome.statement,
                ", ".join(OUTCOME_LABELS.values()),
            )
        )
    return _unique(found)


def headers(found: list[Column]) -> list[str]:
    return [column.header for column in found]


def rows(found: list[Column], cases: Iterator[CaseData]) -> Iterator[list]:
    for data in cases:
        yield [column.read(data) for column in found]


def codebook(found: list[Column]) -> list[list[str]]:
    """Return the Questions sheet: every column's header, key, question and answer codes."""
    return [CODEBOOK_HEADER] + [
        [column.header, column.key, column.item, column.question, column.answers]
        for column in found
    ]
