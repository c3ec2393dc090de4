"""The systemic factor rating form."""

from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from review_app.core.forms import DraftForm, version_field
from review_app.periods.forms import MultiCheckboxField
from review_app.systemic.models import RATING_LABELS


class RatingForm(DraftForm):
    lock_version = version_field()
    # The operation checks the choice and the length, and says what to do.
    rating = RadioField(
        "Rating",
        choices=[SelectChoice(value, label) for value, label in RATING_LABELS.items()],
        validate_choice=False,
    )
    rationale = TextAreaField(
        "Rationale",
        description="Say why the item is a Strength or an Area Needing Improvement, from what "
        "the stakeholders said and any other evidence.",
    )
    interview_ids = MultiCheckboxField(
        "Interviews that support the rating",
        description="Only complete interviews of this review period can be cited.",
        coerce=int,
        validate_choice=False,
    )
