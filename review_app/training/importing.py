"""Read an answer key from CSV; check every row before anything is written.

One row per question: ``question_id``, ``answer``, and optionally ``narrative``
(for a "No" answer) and ``explanation`` (shown to trainees after they submit).
A row whose ``question_id`` names an item (``3`` or ``item 3``) carries that
item's ``rationale`` and ``explanation`` instead of an answer.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from review_app.core.tables import Limits
from review_app.instruments.answers import AnswerError, parse
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Question
from review_app.members.importing import read_file
from review_app.ratings.models import FACE_SHEET
from review_app.ratings.operations import MAX_NARRATIVE, MAX_RATIONALE

COLUMNS = ("question_id", "answer")
OPTIONAL_COLUMNS = ("narrative", "explanation", "rationale")
MAX_EXPLANATION = 4000
LIMITS = Limits(rows=2_000, bytes=2_000_000)
CHECKED_STEP = 250  # rows checked between two reports of progress


@dataclass
class KeyRow:
    """One checked row: an answer (and its texts) for a question, or texts for an item."""

    line: int
    item_id: str  # FACE_SHEET for a face sheet question
    question_id: str | None  # None: the row is about the item itself
    value: Any = None
    has_answer: bool = False
    narrative: str | None = None
    explanation: str | None = None
    rationale: str | None = None


def _item_of(instrument: Instrument, text: str) -> str | None:
    name = text.lower().removeprefix("item").strip()
    return name if name in instrument.items else None


def _by_label(instrument: Instrument, question: Question, raw: str) -> Any:
    """Accept an option's label as well as its value ("Yes", "Not applicable", "yes", "na")."""
    if question.kind not in ("yes_no_na", "yes_no", "choice", "multi"):
        return raw
    words = {label.lower(): value for value, label in instrument.options(question)}
    words |= {value.lower(): value for value, _label in instrument.options(question)}
    if question.kind == "multi":
        return [words.get(part.strip().lower(), part.strip()) for part in raw.split(";") if part]
    return words.get(raw.strip().lower(), raw)


def _check_text(row: dict, name: str, limit: int, problems: list[str]) -> str | None:
    text = row.get(name, "")
    if len(text) > limit:
        problems.append(f"{name}: use at most {limit} characters (this has {len(text)})")
    return text or None


def _check(instrument: Instrument, row: dict, seen: dict[str, int]) -> tuple[KeyRow | None, list]:
    line, problems = row["_line"], []
    if row["_extra"]:
        problems.append("more values than columns")
    name = row["question_id"]
    item_id = _item_of(instrument, name)
    question = instrument.questions.get(name)
    if item_id is None and question is None:
        problems.append(f"question_id: there is no question or item “{name}” in the instrument")
        return None, problems
    place = f"item {item_id}" if item_id else name
    if place in seen:
        problems.append(f"question_id: {place} appears twice (first on line {seen[place]})")
    seen.setdefault(place, line)
    narrative = _check_text(row, "narrative", MAX_NARRATIVE, problems)
    explanation = _check_text(row, "explanation", MAX_EXPLANATION, problems)
    rationale = _check_text(row, "rationale", MAX_RATIONALE, problems)
    if item_id is not None:
        if row["answer"] or narrative:
            problems.append("answer: an item has no answer of its own; give its rationale")
        found = KeyRow(line, item_id, None, explanation=explanation, rationale=rationale)
        return (found if not problems else None), problems
    assert question is not None  # not an item, and the first check returned when neither
    placement = instrument.placements[name]
    owner = placement.item.id if placement.item else FACE_SHEET
    if question.kind == "table":
        problems.append(f"question_id: {name} is a table; fill it in on the item page")
    if rationale:
        problems.append(f"rationale: belongs on the item's own row (question_id “item {owner}”)")
    if owner == FACE_SHEET and explanation:
        problems.append("explanation: the face sheet is not scored, so it has no explanations")
    value = None
    if row["answer"] and question.kind != "table":
        try:
            value = parse(instrument, question, _by_label(instrument, question, row["answer"]))
        except AnswerError as error:
            problems.append(f"answer: {error}")
    if not (row["answer"] or narrative or explanation):
        problems.append("answer: give an answer, a narrative or an explanation")
    if problems:
        return None, problems
    return KeyRow(line, owner, name, value, bool(row["answer"]), narrative, explanation), []


def read_key_rows(
    instrument: Instrument,
    data: bytes,
    filename: str = "key.csv",
    rows_read: Callable[[int], None] | None = None,
    rows_checked: Callable[[int], None] | None = None,
) -> tuple[list[KeyRow], list[str]]:
    """Return the checked rows and, for each bad row, "Line N: what is wrong".

    A file that cannot be read (not UTF-8, past a limit) gives no rows and its fault.
    ``rows_read`` is told how many rows the file holds; ``rows_checked`` how many more
    were checked, every CHECKED_STEP rows and at the end (the import job's progress).
    """
    raw_rows, faults = read_file(filename, data, COLUMNS, OPTIONAL_COLUMNS, LIMITS)
    if faults:
        return [], faults
    if rows_read is not None:
        rows_read(len(raw_rows))
    rows, errors = [], []
    seen: dict[str, int] = {}
    for checked_count, raw in enumerate(raw_rows, start=1):
        checked, problems = _check(instrument, raw, seen)
        if problems:
            problems_text = "; ".join(problem.rstrip(".") for problem in problems)
            errors.append(f"Line {raw['_line']}: {problems_text}.")
        elif checked is not None:
            rows.append(checked)
        if rows_checked is not None and checked_count % CHECKED_STEP == 0:
            rows_checked(CHECKED_STEP)
    if rows_checked is not None and len(raw_rows) % CHECKED_STEP:
        rows_checked(len(raw_rows) % CHECKED_STEP)
    return rows, errors
