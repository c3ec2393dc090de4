"""The fixed part of the rating forms; the questions come from the instrument.

Answers are read from the request by ``read_answers`` and checked by
``instruments.answers`` (the same checks as ``flask instruments rate``).
"""

from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from review_app.core.forms import DraftForm, version_field
from review_app.core.inputs import whole_number
from review_app.instruments.schema import Question
from review_app.ratings.operations import MAX_RATIONALE, ItemInput

MAX_TABLE_ROWS = 100


class ItemForm(DraftForm):
    lock_version = version_field()
    shown = HiddenField()
    rationale = TextAreaField(
        "Rationale for the rating",
        description="Say briefly why the answers lead to this rating, citing what you found.",
        validators=[Length(max=MAX_RATIONALE)],
    )


def _table_rows(form: MultiDict, question: Question) -> list[dict]:
    try:
        count = min(int(form.get(f"{question.id}__rows", "0")), MAX_TABLE_ROWS)
    except ValueError:
        count = 0
    rows = []
    for index in range(count):
        row = {}
        for column in question.columns or []:
            name = f"{question.id}__{index}__{column.id}"
            row[column.id] = form.getlist(name) if column.kind == "multi" else form.get(name, "")
        rows.append(row)
    return rows


def read_answers(form: MultiDict, questions: list[Question]) -> ItemInput:
    """Collect the raw answers and narratives of the questions that were on the page."""
    shown = set(filter(None, form.get("shown", "").split(",")))
    answers, narratives = {}, {}
    for question in questions:
        if question.id not in shown:
            continue
        if question.kind == "multi":
            answers[question.id] = form.getlist(question.id)
        elif question.kind == "table":
            answers[question.id] = _table_rows(form, question)
        else:
            answers[question.id] = form.get(question.id, "")
        narratives[question.id] = form.get(f"{question.id}__narrative", "")
    # An edit number the database cannot hold matches no row: the save is refused as stale.
    lock_version = whole_number(form.get("lock_version", "0"))
    if lock_version is None:
        lock_version = -1
    return ItemInput(
        answers,
        shown & {q.id for q in questions},
        narratives,
        form.get("rationale", ""),
        lock_version,
    )
