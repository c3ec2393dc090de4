"""Review period form."""

from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from review_app.core.forms import DraftForm, MultiCheckboxField

__all__ = ["MultiCheckboxField", "PeriodForm"]  # MultiCheckboxField moved to core.forms


class PeriodForm(DraftForm):
    name = StringField(
        "Name",
        description='For example "2027 first half".',
        validators=[DataRequired("Name the review period."), Length(max=120)],
    )
    pur_start = DateField(
        "Start of the period under review",
        description="Leave empty for an open start, set case by case.",
        validators=[Optional()],
    )
    # InputRequired, not DataRequired: a mistyped date keeps its "Not a valid date value".
    pur_end = DateField(
        "End of the period under review",
        validators=[InputRequired("Enter the last day of the period under review.")],
    )
    # The operation checks the version and says what to do.
    instrument_version = SelectField(
        "Instrument version",
        validators=[DataRequired("Choose the instrument version.")],
        validate_choice=False,
    )
    local_site_ids = MultiCheckboxField("Local sites sampled", coerce=int, validate_choice=True)
