"""Forms to add people to a site and change their roles."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from review_app.core.forms import DraftForm
from review_app.core.roles import RoleSet

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
    """Role fields: checkboxes, and one QA level chosen by radio buttons."""

    state_admin = BooleanField(
        "State administrator: manages users, local sites, periods and samples"
    )
    reviewer = BooleanField("Reviewer: rates assigned cases and records interviews")
    observer = BooleanField("Observer: reads everything on the site, changes nothing")
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
        )

    def fill_roles(self, roles: RoleSet) -> None:
        self.state_admin.data = roles.is_state_admin
        self.reviewer.data = roles.is_reviewer
        self.observer.data = roles.is_observer
        self.qa_level.data = str(roles.qa_level or "")


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
        "and optionally password.",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv"], "Choose a .csv file."),
        ],
    )
