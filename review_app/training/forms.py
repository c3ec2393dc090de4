"""Forms of the Training site; explanation texts are read per question like item answers."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from review_app.core.forms import DraftForm

ITEM_FIELD = "explain__item"


class MakeKeyForm(DraftForm):
    case_id = IntegerField(
        "Practice case", validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)]
    )


class KeyImportForm(FlaskForm):
    file = FileField(
        "Answer key file (CSV)",
        description="Columns: question_id, answer; optional: narrative, explanation, rationale. "
        "A row whose question_id is an item (“item 3”) gives that item's rationale and "
        "explanation.",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv"], "Choose a .csv file."),
        ],
    )


class ExplanationForm(DraftForm):
    """The CSRF token; the texts are fields named ``explain__<question id>``."""


def field_name(question_id: str) -> str:
    return f"explain__{question_id}" if question_id else ITEM_FIELD


def read_explanations(form: MultiDict, question_ids: list[str]) -> dict[str, str]:
    """Return question id ('' for the item) -> the explanation text sent for it."""
    return {qid: form.get(field_name(qid), "") for qid in ["", *question_ids]}
