"""Local site forms."""

from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

from review_app.core.forms import DraftForm
from review_app.sites.operations import SMALL_CELL_RANGE


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


class PrivacyForm(DraftForm):
    small_cell_minimum = IntegerField(
        "Hide figures over fewer than this many cases",
        description=(
            "On the performance pages and in their exports, a count or share over fewer "
            "cases says “fewer than N” instead, so that no child can be picked out. "
            "1 shows every figure. Lists of cases stay visible to those who may see cases."
        ),
        validators=[
            InputRequired("Give a number of cases."),
            NumberRange(*SMALL_CELL_RANGE, "Give a whole number of cases from %(min)s to %(max)s."),
        ],
    )
