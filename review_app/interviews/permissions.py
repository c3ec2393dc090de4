"""Who may do what with an interview, for the views and the operations alike.

The route has already checked the site role; these check the person's part in
the interview (``may_*``), with their roles there, and whether it can still
change (``why_locked``). Each takes the person, as cases/permissions.py does.
"""

from review_app.accounts.models import User
from review_app.core.roles import RoleSet, roles_of
from review_app.interviews.models import Interview, NoteSet
from review_app.interviews.states import InterviewStatus


def takes_part(interview: Interview, user: User) -> bool:
    return user.id in interview.participant_ids


def is_note_taker(interview: Interview, user: User) -> bool:
    return any(taker.id == user.id for taker in interview.note_takers)


def is_official(interview: Interview, user: User) -> bool:
    return interview.official_note_taker_id == user.id


def reads_all(roles: RoleSet) -> bool:
    """State administrators, QA and observers read every interview of the site."""
    return roles.is_state_admin or bool(roles.qa_rank) or roles.is_observer


def can_view(interview: Interview, user: User) -> bool:
    """Those who read all, and reviewers the interviews they take part in."""
    roles = roles_of(user, interview.site_id)
    return reads_all(roles) or (roles.is_reviewer and takes_part(interview, user))


def may_edit_details(interview: Interview, user: User) -> bool:
    roles = roles_of(user, interview.site_id)
    return roles.is_reviewer and user.id in (
        interview.interviewer_id,
        interview.official_note_taker_id,
    )


def may_write_own_notes(interview: Interview, user: User) -> bool:
    roles = roles_of(user, interview.site_id)
    return roles.is_reviewer and is_note_taker(interview, user)


def may_finish(interview: Interview, user: User) -> bool:
    """Merge the notes, edit the final set and mark the interview complete."""
    roles = roles_of(user, interview.site_id)
    return roles.is_reviewer and is_official(interview, user)


def may_reply(interview: Interview, user: User) -> bool:
    roles = roles_of(user, interview.site_id)
    return bool(roles.qa_rank) or (roles.is_reviewer and takes_part(interview, user))


def why_locked(interview: Interview) -> str | None:
    """Say why nobody can change the interview's record now, or None when it is open."""
    if not interview.period.is_open:
        return "The review period is closed; its interviews can no longer change."
    if interview.status == InterviewStatus.COMPLETE:
        return (
            "The interview is complete, so its notes are locked. QA can return it to "
            "draft if something must change."
        )
    return None


def why_notes_locked(interview: Interview, note_set: NoteSet) -> str | None:
    """Say why nobody can change these notes now: own notes are read only after the merge."""
    if not note_set.is_final and interview.is_merged:
        return "The notes are merged, so yours are now read only."
    return why_locked(interview)
