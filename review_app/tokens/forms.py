"""The form to make a token."""

from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from review_app.core.forms import DraftForm
from review_app.tokens.operations import MAX_DAYS


class TokenForm(DraftForm):
    name = StringField(
        "Name",
        validators=[InputRequired(message="Name the token."), Length(max=80)],
        description="What the token is for, e.g. the script that will use it.",
    )
    days = IntegerField(
        "Days until it expires",
        default=90,
        validators=[
            InputRequired(message="Give a number of days."),
            NumberRange(min=1, max=MAX_DAYS, message=f"Choose between 1 and {MAX_DAYS} days."),
        ],
    )
