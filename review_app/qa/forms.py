"""QA forms: status actions, comments, overrides, caseload moves."""

from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from review_app.cases.models import ELIMINATION_REASONS
from review_app.core.forms import DraftForm, version_field
from review_app.qa.thread_operations import MAX_COMMENT


class TransitionForm(DraftForm):
    action = HiddenField(validators=[DataRequired()])
    # "1" once the person has seen the confirmation page (see qa.views.change_status).
    confirmed = HiddenField()
    status_version = version_field()
    reason = TextAreaField("Reason", validators=[Length(max=1000)])
    reason_code = SelectField(
        "Why is the case eliminated?",
        choices=[SelectChoice("", "Choose a reason")]
        + [SelectChoice(k, v) for k, v in ELIMINATION_REASONS.items()],
        validate_choice=False,
    )


class ThreadForm(DraftForm):
    question_id = SelectField("About", validate_choice=False)
    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=MAX_COMMENT)])


class ReplyForm(DraftForm):
    body = TextAreaField("Reply", validators=[DataRequired(), Length(max=MAX_COMMENT)])


class OverrideForm(DraftForm):
    rating = RadioField(
        "Rating that counts",
        choices=[
            SelectChoice("strength", "Strength"),
            SelectChoice("ani", "Area Needing Improvement"),
            SelectChoice("not_applicable", "Not Applicable"),
            SelectChoice("", "The calculated rating (remove the override)"),
        ],
        validate_choice=False,
    )
    reason = TextAreaField("Reason for the override", validators=[DataRequired(), Length(max=1000)])


class CaseloadForm(DraftForm):
    from_user = SelectField("Move every open case of", coerce=int, validate_choice=False)
    to_user = SelectField("To", coerce=int, validate_choice=False)
    # "1" once the list of cases the move touches has been shown (see qa.views.caseload).
    confirmed = HiddenField()


class HandOverForm(DraftForm):
    to_user = SelectField("Give the QA work to", coerce=int, validate_choice=False)
