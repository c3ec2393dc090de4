"""The audit log filter form (a GET form: no CSRF token needed)."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from review_app.audit.queries import AuditFilters


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = StringField("Who (name or username)", validators=[Optional(), Length(max=80)])
    action = SelectField("What", choices=[SelectChoice("", "Any change")], validate_choice=False)
    since = DateField("From", validators=[Optional()])
    until = DateField("To", validators=[Optional()])

    def filters(self) -> AuditFilters:
        """Return the valid filters; a wrong value is left out (and shown as an error)."""
        return AuditFilters(
            actor=(self.actor.data or "").strip() if not self.actor.errors else "",
            action=self.action.data or "",
            since=self.since.data if not self.since.errors else None,
            until=self.until.data if not self.until.errors else None,
        )
