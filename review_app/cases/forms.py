"""Forms to add, edit and import cases."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from review_app.cases.models import CASE_TYPES
from review_app.core.forms import DraftForm
from review_app.periods.forms import MultiCheckboxField


class CaseForm(DraftForm):
    period_id = SelectField(
        "Review period", coerce=int, validators=[DataRequired("Choose the review period.")]
    )
    case_number = StringField(
        "Case number", validators=[DataRequired("Enter the case number."), Length(max=40)]
    )
    case_type = RadioField(
        "Case type",
        validators=[DataRequired("Choose foster care or in-home services.")],
        choices=[SelectChoice(k, v) for k, v in CASE_TYPES.items()],
    )
    local_site_id = SelectField(
        "Local site", coerce=int, validators=[DataRequired("Choose the local site.")]
    )
    child_name = StringField(
        "Target child: initials or pseudonym",
        description="Never the full name.",
        validators=[DataRequired("Enter the child's initials or a pseudonym."), Length(max=80)],
    )
    child_birth_date = DateField("Target child's birth date", validators=[Optional()])
    family_name = StringField("Family (initials or pseudonym)", validators=[Length(max=120)])
    opened_on = DateField("Date the case was opened", validators=[Optional()])
    removal_on = DateField("Date of removal or entry into care", validators=[Optional()])
    closed_on = DateField("Date the case was closed", validators=[Optional()])
    pur_start = DateField(
        "Start of this case's period under review",
        description="Only for review periods with an open start.",
        validators=[Optional()],
    )
    reviewer_ids = MultiCheckboxField("Reviewers", coerce=int)
    # Labels and choices come from the period's instrument (cases/views.py).
    child_sex = RadioField("Child's sex", validators=[Optional()])
    child_race = MultiCheckboxField("Child's race")
    child_hispanic = RadioField("Hispanic or Latino", validators=[Optional()])


class CaseImportForm(FlaskForm):
    period_id = SelectField("Review period", coerce=int, validators=[DataRequired()])
    file = FileField(
        "Sample file (CSV or XLSX)",
        description="Columns: case_number, case_type (foster_care or in_home), local_site "
        "(code or name), child_name; optional: child_birth_date, family_name, opened_on, "
        "removal_on, closed_on, reviewers (usernames), pur_start, child_sex, child_race "
        "(several separated by ;), child_hispanic (a code or label of the instrument's "
        "categories).",
        validators=[
            FileRequired("Choose a file."),
            FileAllowed(["csv", "xlsx"], "Choose a .csv or .xlsx file."),
        ],
    )
