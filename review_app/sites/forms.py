"""Local site forms."""

from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from review_app.core.forms import DraftForm


class LocalSiteForm(DraftForm):
    code = StringField(
        "Code",
        description="A short code used in imports and exports, e.g. a county number.",
        validators=[
            DataRequired(),
            Length(max=20),
            Regexp(
                r"^[A-Za-z0-9._-]+$", message="Use letters, digits, dots, dashes or underscores."
            ),
        ],
    )
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    is_active = BooleanField("Active: new cases can be sampled from it", default=True)
