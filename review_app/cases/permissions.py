"""Object checks on a case, after the route has checked the site role.

Each check takes the person it is about, as interviews/permissions.py does.
"""

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.cases.queries import is_assigned
from review_app.cases.states import CaseStatus
from review_app.core.roles import roles_of


def can_view(case: Case, user: User) -> bool:
    """Administrators, QA and observers read every case of the site; reviewers their own.

    A practice site's answer key is never shown to reviewers (its trainees).
    """
    roles = roles_of(user, case.site_id)
    return roles.holds("state_admin", "qa", "observer") or (
        not case.is_key and roles.is_reviewer and is_assigned(case, user.id)
    )


def can_rate(case: Case, user: User) -> bool:
    """An assigned reviewer edits while the case is in progress and its period open.

    An answer key is edited by the site's state administrators while it is a draft.
    """
    if case.is_key:
        return (
            roles_of(user, case.site_id).is_state_admin
            and case.is_key_draft
            and case.status in CaseStatus.EDITABLE
            and case.period.is_open
        )
    return (
        roles_of(user, case.site_id).is_reviewer
        and is_assigned(case, user.id)
        and case.status in CaseStatus.EDITABLE
        and case.period.is_open
    )


def why_not_rate(case: Case, user: User) -> str:
    """Say in words why ``user`` cannot edit the case."""
    if case.is_key:
        if not case.is_key_draft:
            return "This answer key is published: withdraw it on its key page to change it."
        if not roles_of(user, case.site_id).is_state_admin:
            return "Only the site's state administrators record an answer key's answers."
        return "The review period is closed."
    if not is_assigned(case, user.id):
        return "Only the case's assigned reviewers can change its answers."
    if not case.period.is_open:
        return "The review period is closed."
    return f"The case is {case.status_label.lower()}; it can no longer be edited here."


def can_manage(case: Case, user: User) -> bool:
    return roles_of(user, case.site_id).is_state_admin
