"""Forms to ask for access to a site, and to decline a request."""

from dataclasses import replace

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from review_app.access_requests.operations import MAX_REASON
from review_app.core.forms import DraftForm
from review_app.core.roles import RoleSet
from review_app.members.forms import RolesMixin
from review_app.periods.forms import MultiCheckboxField
from review_app.sites.models import LocalSite, Region

WHOLE, LIMITED = "whole", "limited"


class RequestForm(RolesMixin, DraftForm):
    site_leader = BooleanField(
        "Site Leader: assigns the cases of named local sites and does first-level QA there"
    )
    scope = RadioField(
        "Which part of the site",
        choices=[
            SelectChoice(WHOLE, "The whole site"),
            SelectChoice(LIMITED, "Only the regions or local sites I choose below"),
        ],
        default=WHOLE,
        validate_choice=False,  # the view says what is wrong instead of "Not a valid choice"
    )
    # The operation refuses a place of another site by name; an unknown id is refused too.
    region_ids = MultiCheckboxField("Regions", coerce=int, validate_choice=False)
    local_site_ids = MultiCheckboxField("Local sites", coerce=int, validate_choice=False)
    reason = TextAreaField(
        "Why you need this access",
        description="For example your job, the review you work on, or your supervisor's name.",
        validators=[Length(max=MAX_REASON)],
    )

    def offer_places(self, regions: list[Region], local_sites: list[LocalSite]) -> None:
        """Offer the site's regions (with their local sites named) and local sites."""
        self.region_ids.choices = [
            (
                region.id,
                f"{region.name} ({', '.join(local.name for local in region.local_sites)})"
                if region.local_sites
                else region.name,
            )
            for region in regions
        ]
        self.local_site_ids.choices = [(local.id, local.name) for local in local_sites]

    def validate_scope(self, field) -> None:
        if field.data not in (WHOLE, LIMITED):
            raise ValidationError("Choose the whole site or the places below.")

    @property
    def is_limited(self) -> bool:
        return self.scope.data == LIMITED

    def role_set(self) -> RoleSet:
        return replace(super().role_set(), is_site_leader=self.site_leader.data)


class DeclineForm(FlaskForm):
    decision_reason = TextAreaField(
        "Reason for declining",
        description="The person is emailed this reason.",
        validators=[Length(max=MAX_REASON)],
    )
