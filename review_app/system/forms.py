"""System administration forms."""

from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from review_app.core.forms import DraftForm
from review_app.periods.forms import MultiCheckboxField
from review_app.sites.settings import SITE_KINDS


class JurisdictionForm(DraftForm):
    code = StringField(
        "Code",
        description='Used in web addresses, e.g. "ny" gives /ny/cqi/.',
        validators=[DataRequired(), Length(max=20)],
    )
    name = StringField(
        "Name", description='For example "New York".', validators=[DataRequired(), Length(max=120)]
    )


class StateAdminForm(DraftForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    kinds = MultiCheckboxField(
        "Sites",
        choices=[
            SelectChoice(kind, "Training" if kind == "training" else kind.upper())
            for kind in SITE_KINDS
        ],
        validators=[DataRequired("Choose at least one site.")],
    )
