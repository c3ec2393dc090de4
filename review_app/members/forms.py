"""Forms to add people to a site and change their roles."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from review_app.core.forms import DraftForm, MultiCheckboxField
from review_app.core.roles import RoleSet
from review_app.members.scope_operations import Places
from review_app.sites.models import LocalSite, Region

WHOLE_SITE = "site"
LIMITED = "limited"

# Declared before the mixins' fields so forms (and their error summaries) list them first.
_NEW_USERNAME = StringField(
    "Username",
    description="Lowercase letters, digits, dots, dashes or underscores. People sign in with it.",
    validators=[DataRequired(), Length(max=80)],
)
_EXISTING_USERNAME = StringField(
    "Username of the existing account",
    description="For someone who works, or worked, on another site of this state.",
    validators=[DataRequired(), Length(max=80)],
)


class RolesMixin:
    """Role fields: checkboxes, one QA level chosen by radio buttons, and the scope."""

    _regions: dict[int, Region]  # offered, by id (offer_places)
    _local_sites: dict[int, LocalSite]

    state_admin = BooleanField(
        "State administrator: manages users, local sites, periods and samples"
    )
    reviewer = BooleanField("Reviewer: rates assigned cases and records interviews")
    observer = BooleanField("Observer: reads everything on the site, changes nothing")
    site_leader = BooleanField(
        "Site Leader: assigns the cases of the local sites they lead and does first-level QA "
        "there (choose those local sites, or their region, below)"
    )
    qa_level = RadioField(
        "Quality assurance",
        choices=[
            SelectChoice("", "No QA role"),
            SelectChoice("1", "QA, level 1"),
            SelectChoice("2", "QA, level 2"),
        ],
        default="",
        # validate_qa_level says what is wrong instead of "Not a valid choice".
        validate_choice=False,
    )

    scope = RadioField(
        "Which part of the site",
        choices=[
            SelectChoice(WHOLE_SITE, "Whole site"),
            SelectChoice(LIMITED, "Only these regions and local sites"),
        ],
        default=WHOLE_SITE,
        validate_choice=False,  # validate_scope says what is wrong
    )
    region_ids = MultiCheckboxField(
        "Regions",
        description="Each with the local sites it holds now.",
        coerce=int,
        validate_choice=False,  # validate_region_ids says what is wrong, without ids
    )
    local_site_ids = MultiCheckboxField("Local sites", coerce=int, validate_choice=False)

    def offer_places(self, regions: list[Region], local_sites: list[LocalSite]) -> None:
        """Offer the site's regions (with their local sites) and local sites."""
        self._regions = {region.id: region for region in regions}
        self._local_sites = {local.id: local for local in local_sites}
        self.region_ids.choices = [
            (
                region.id,
                f"{region.name} ({', '.join(local.name for local in region.local_sites)})"
                if region.local_sites
                else f"{region.name} (no local sites yet)",
            )
            for region in regions
        ]
        self.local_site_ids.choices = [(local.id, local.name) for local in local_sites]

    def validate_scope(self, field) -> None:
        if field.data not in (WHOLE_SITE, LIMITED):
            raise ValidationError("Choose the whole site, or only some regions and local sites.")

    def validate_region_ids(self, field) -> None:
        if set(field.data or []) - set(self._regions):
            raise ValidationError("Choose among the regions offered.")

    def validate_local_site_ids(self, field) -> None:
        if set(field.data or []) - set(self._local_sites):
            raise ValidationError("Choose among the local sites offered.")

    def places(self) -> Places | None:
        """Return the regions and local sites chosen, or None for the whole site."""
        if self.scope.data != LIMITED:
            return None
        return (
            [self._regions[i] for i in self.region_ids.data or [] if i in self._regions],
            [
                self._local_sites[i]
                for i in self.local_site_ids.data or []
                if i in self._local_sites
            ],
        )

    def fill_places(self, places: Places | None) -> None:
        self.scope.data = WHOLE_SITE if places is None else LIMITED
        regions, local_sites = places or ([], [])
        self.region_ids.data = [region.id for region in regions]
        self.local_site_ids.data = [local.id for local in local_sites]

    def limit_qa_levels(self, levels: int) -> None:
        """Offer only the QA levels the site has."""
        if levels < 2:
            self.qa_level.choices = [c for c in self.qa_level.choices if c.value != "2"]

    def validate_qa_level(self, field) -> None:
        offered = {choice.value for choice in field.choices}
        if field.data == "2" and "2" not in offered:
            raise ValidationError("This site has only one QA level: choose QA level 1.")
        if field.data not in offered:
            raise ValidationError("Choose one of the QA levels offered.")

    def role_set(self) -> RoleSet:
        return RoleSet(
            is_state_admin=self.state_admin.data,
            is_reviewer=self.reviewer.data,
            is_observer=self.observer.data,
            qa_level=int(self.qa_level.data) if self.qa_level.data else None,
            is_site_leader=self.site_leader.data,
        )

    def fill_roles(self, roles: RoleSet) -> None:
        self.state_admin.data = roles.is_state_admin
        self.reviewer.data = roles.is_reviewer
        self.observer.data = roles.is_observer
        self.qa_level.data = str(roles.qa_level or "")
        self.site_leader.data = roles.is_site_leader


class ProfileMixin:
    display_name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        "Email", validators=[Optional(), Email(check_deliverability=False), Length(max=254)]
    )


class NewMemberForm(RolesMixin, ProfileMixin, DraftForm):
    username = _NEW_USERNAME
    # The invitation to set a password goes to this address.
    email = EmailField(
        "Email",
        description="The invitation to choose a password is sent here.",
        validators=[
            DataRequired("Give an email address: the invitation is sent there."),
            Email(check_deliverability=False),
            Length(max=254),
        ],
    )


class GrantAccessForm(RolesMixin, DraftForm):
    username = _EXISTING_USERNAME


class EditMemberForm(RolesMixin, ProfileMixin, DraftForm):
    pass


class ImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        description='Columns: username, display_name, email, roles (e.g. "reviewer qa1"), '
        'and optionally password and scope (region or local site codes, e.g. "N;003").',
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv"], "Choose a .csv file."),
        ],
    )
