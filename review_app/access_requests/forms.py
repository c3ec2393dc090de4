"""Forms to ask for access to a site, and to decline a request."""

from wtforms import TextAreaField
from wtforms.validators import Length

from review_app.access_requests.operations import MAX_REASON
from review_app.core.forms import DraftForm
from review_app.members.forms import RolesMixin


class RequestForm(RolesMixin, DraftForm):
    """The roles and the part of a site asked for (the members' fields), and why."""

    reason = TextAreaField(
        "Why you need this access",
        description="For example your job, the review you work on, or your supervisor's name.",
        validators=[Length(max=MAX_REASON)],
    )


class DeclineForm(DraftForm):
    decision_reason = TextAreaField(
        "Reason for declining",
        description="The person is emailed this reason.",
        validators=[Length(max=MAX_REASON)],
    )
