"""Local site and region forms."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Regexp,
    ValidationError,
)

from review_app.core.forms import DraftForm, MultiCheckboxField
from review_app.sites.models import LocalSite, Region
from review_app.sites.operations import SMALL_CELL_RANGE


class LocalSiteForm(DraftForm):
    # Fields in the page's order, which the error summary follows.
    name = StringField("Name", validators=[DataRequired("Name the local site."), Length(max=120)])
    code = StringField(
        "Code",
        description="A short code used in imports and exports, e.g. a county number.",
        validators=[
            DataRequired("Enter a short code for the local site."),
            Length(max=20),
            Regexp(
                r"^[A-Za-z0-9._-]+$", message="Use letters, digits, dots, dashes or underscores."
            ),
        ],
    )
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


class RegionForm(DraftForm):
    # Fields in the page's order, which the error summary follows.
    name = StringField(
        "Name",
        description='For example "Northern region".',
        validators=[DataRequired("Name the region."), Length(max=120)],
    )
    code = StringField(
        "Code",
        description='A short code used in imports and on the users page, e.g. "N".',
        validators=[
            DataRequired("Enter a short code for the region."),
            Length(max=20),
            Regexp(
                r"^[A-Za-z0-9._-]+$", message="Use letters, digits, dots, dashes or underscores."
            ),
        ],
    )
    local_site_ids = MultiCheckboxField(
        "Local sites in this region",
        description="A local site is in one region at most: one in another region moves here.",
        coerce=int,
        validate_choice=False,  # validate_local_site_ids says what is wrong, without ids
    )

    def validate_local_site_ids(self, field) -> None:
        offered = {value for value, _ in field.choices}
        if set(field.data or []) - offered:
            raise ValidationError("Choose among the local sites of this site.")

    def offer_local_sites(self, local_sites: list[LocalSite], region: Region | None) -> None:
        """Offer every local site, saying which other region each one would leave."""
        self.local_site_ids.choices = [
            (
                local.id,
                local.name
                if local.region is None or (region is not None and local.region_id == region.id)
                else f"{local.name} (now in {local.region.name}: moves to this region)",
            )
            for local in local_sites
        ]


class RegionImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        description="Columns: region_code, region_name, local_site_code; one row per local site.",
        # Any other kind of file is refused by the import, which names it.
        validators=[FileRequired("Choose a CSV file.")],
    )
