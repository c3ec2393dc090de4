"""Forms shared by several domains."""

from typing import Any

from flask import g, request
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, widgets
from wtforms.validators import InputRequired

from review_app.core.inputs import LARGEST_ID


def _stale_unless_stored(value: int | None) -> int | None:
    """A version no row can have (negative, or past what the database holds) matches none."""
    return value if value is None or 0 <= value <= LARGEST_ID else -1


def version_field() -> IntegerField:
    """The edit number (or status version) a form was shown with, sent back in a hidden field.

    One no row can have is kept as -1, so the guarded write finds the form out of date
    (a conflict) instead of sending the database a number it cannot hold.
    """
    return IntegerField(validators=[InputRequired()], filters=[_stale_unless_stored])


class DraftForm(FlaskForm):
    """A form that shows again what its user typed when their session or its token expired.

    On a GET, a draft kept for this user and posted to ``draft_action`` (the
    page's own URL unless given) fills the form instead of its defaults;
    ``restored`` says so (review_app/drafts/hooks.py keeps and takes drafts).
    """

    def __init__(self, *args: Any, draft_action: str | None = None, **kwargs: Any) -> None:
        draft = None
        if request.method == "GET" and "formdata" not in kwargs:
            draft = g.get("form_drafts", {}).get(draft_action or request.path)
            if draft is not None:
                kwargs["formdata"] = draft
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.restored = draft is not None


class ConfirmForm(FlaskForm):
    """An empty form: its CSRF token guards a button that changes something."""


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes in one fieldset."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
