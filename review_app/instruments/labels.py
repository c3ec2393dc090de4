"""Question ids in words: what a person reads instead of `5-app-60` or `FS-children`.

The instrument's ids are keys for the data; some of them are also the
instrument's own question numbers (`1A`, `12B3`) and can be shown as such.
The others (applicability questions, face sheet, tables) are named by their
item and their text.
"""

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from review_app.instruments.model import Instrument

# The instrument's own numbering: item number, a letter, maybe a digit (1A, 3D1, 12B3).
QUESTION_NUMBER = re.compile(r"^\d{1,2}[A-Z]\d?$")
SHORT_TEXT = 70

# Fields a case's history records besides the questions.
ITEM_FIELDS = {
    "rationale": "Rationale",
    "rating": "Rating",
    "override": "Rating override",
    "narrative": "Narrative",
}


def question_number(question_id: str) -> str | None:
    """Return the instrument's number of a question (``1A``), or None when it has none."""
    return question_id if QUESTION_NUMBER.match(question_id) else None


def short(text: str, limit: int = SHORT_TEXT) -> str:
    """Cut a question's text at a word before ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def question_prefix(question_id: str) -> str:
    """Return what goes before a question's text in a heading: ``1A. `` or nothing."""
    number = question_number(question_id)
    return f"{number}. " if number else ""


def question_label(instrument: "Instrument", question_id: str) -> str:
    """Name a question for a person: 'question 1A', or its item and its text.

    For example 'question 5B', 'Item 5 question “Had the child been in foster care
    for 60 days…”', 'Face sheet question “Children in the case”'.
    """
    number = question_number(question_id)
    if number:
        return f"question {number}"
    question = instrument.questions.get(question_id)
    if question is None:
        return "a question no longer in the instrument"
    return f"{where(instrument, question_id)} question “{short(question.text)}”"


def where(instrument: "Instrument", question_id: str) -> str:
    """Return 'Face sheet' or 'Item 5' for the question's place."""
    placement = instrument.placements.get(question_id)
    if placement is None or placement.item is None:
        return "Face sheet"
    return f"Item {placement.item.number}"


def field_label(instrument: "Instrument", field: str) -> str:
    """Name a field of a case's change history: a question, the rationale, the rating."""
    if field in ITEM_FIELDS:
        return ITEM_FIELDS[field]
    if field in instrument.questions:
        label = question_label(instrument, field)
        return label[0].upper() + label[1:]
    return field.replace("_", " ").capitalize()


def change_where(instrument: "Instrument", item_id: str, field: str) -> str:
    """Say where a history change was: 'Item 5, question 5B', 'Face sheet, rationale'."""
    item = instrument.items.get(item_id)
    place = f"Item {item.number}" if item else "Face sheet"
    if field in instrument.questions:
        number = question_number(field)
        what = f"question {number}" if number else f"“{short(instrument.questions[field].text)}”"
    else:
        what = field_label(instrument, field).lower()
    return f"{place}, {what}"


def value_text(instrument: "Instrument", field: str, value: Any) -> str:
    """Write a stored answer in words: option labels, table rows with their column names."""
    question = instrument.questions.get(field)
    if isinstance(value, dict) and set(value) <= {"answer", "narrative"} and value:
        answer = value_text(instrument, field, value.get("answer"))
        return f"{answer}; narrative: {value.get('narrative') or '(empty)'}"
    if value is None or value == "" or value == []:
        return "(empty)"
    if question is None:
        return _plain(value)
    if question.kind == "table" and isinstance(value, list):
        return "; ".join(
            f"row {number}: {_row_text(instrument, question, row)}"
            for number, row in enumerate(value, start=1)
        )
    return _answer(instrument, question, value)


def _answer(instrument: "Instrument", question: Any, value: Any) -> str:
    if question.kind in ("yes_no", "yes_no_na", "choice", "multi"):
        labels = dict(instrument.options(question))
        if isinstance(value, list):
            return "; ".join(labels.get(v, str(v)) for v in value)
        return labels.get(value, str(value))
    return _plain(value)


def _row_text(instrument: "Instrument", question: Any, row: Any) -> str:
    if not isinstance(row, dict):
        return _plain(row)
    columns = {column.id: column for column in question.columns or []}
    parts = []
    for key, cell in row.items():
        if cell is None or cell == "":
            continue
        column = columns.get(key)
        name = column.text if column else key.replace("_", " ")
        parts.append(f"{name}: {_answer(instrument, column, cell) if column else _plain(cell)}")
    return ", ".join(parts) or "(empty)"


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_plain(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
