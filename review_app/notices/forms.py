"""The notifications preferences form."""

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from review_app.notices.states import Delivery


class PreferencesForm(FlaskForm):
    delivery = RadioField(
        "Email me about this site’s notifications",
        choices=[SelectChoice(delivery.value, delivery.label) for delivery in Delivery],
        validators=[InputRequired("Choose how to be emailed.")],
    )
