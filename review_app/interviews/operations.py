"""Every change to interviews: recording, completion, QA comments (notes: note_operations.py)."""

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.core.locking import lock_row, update_if_unchanged
from review_app.core.models import utcnow
from review_app.core.roles import roles_of
from review_app.core.scope import scope_of
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.interviews import permissions as can
from review_app.interviews.facts import InterviewFacts, check_facts
from review_app.interviews.models import Interview, NoteSet
from review_app.interviews.states import InterviewStatus
from review_app.periods.models import ReviewPeriod
from review_app.periods.operations import hold_open
from review_app.qa import thread_operations
from review_app.qa.models import Comment, Thread
from review_app.qa.queries import open_count

MAX_REASON = 1000


def names(people: list[str]) -> str:
    """Join names in words: 'A', 'A and B', 'A, B and C'."""
    return people[0] if len(people) == 1 else f"{', '.join(people[:-1])} and {people[-1]}"


def snapshot(interview: Interview) -> dict:
    return {
        "held_on": interview.held_on,
        "local_site": interview.local_site.code,
        "title": interview.title,
        "stakeholder_types": list(interview.stakeholder_types),
        "interviewer": interview.interviewer.username,
        "official_note_taker": interview.official_note_taker.username,
        "supporting_note_takers": sorted(u.username for u in interview.supporting_note_takers),
        "status": interview.status,
    }


def label(interview: Interview) -> str:
    return f"the interview of {interview.held_on.isoformat()} ({interview.local_site.name})"


def _check(actor: User, period: ReviewPeriod, facts: InterviewFacts) -> None:
    errors = check_facts(period, facts)
    if errors:
        field, message = next(iter(errors.items()))
        raise OperationError(message, field)
    assert facts.local_site is not None  # check_facts refused facts without one
    scope = scope_of(actor, period.site_id)
    if not scope.covers(facts.local_site.id):
        raise OperationError(
            f"{facts.local_site.name} is outside the local sites your access reaches "
            f"({scope.label}): choose one of yours.",
            "local_site_id",
        )


def _apply(interview: Interview, facts: InterviewFacts) -> None:
    # _check refused facts without a date, a local site, an interviewer or a note-taker.
    assert facts.held_on is not None and facts.local_site is not None
    assert facts.interviewer is not None and facts.official_note_taker is not None
    interview.held_on, interview.local_site = facts.held_on, facts.local_site
    interview.title = facts.title.strip()
    interview.stakeholder_types = list(dict.fromkeys(facts.stakeholder_types))
    interview.interviewer = facts.interviewer
    interview.official_note_taker = facts.official_note_taker
    interview.supporting_note_takers = list(dict.fromkeys(facts.supporting))


def create_interview(actor: User, period: ReviewPeriod, facts: InterviewFacts) -> Interview:
    """Record an interview a reviewer takes part in, with an empty note set per note-taker."""
    hold_open(period, "This review period is closed: no more interviews can be recorded.")
    if not roles_of(actor, period.site).is_reviewer:
        raise OperationError("Only reviewers record interviews.")
    if not get_instrument(period.instrument_version).systemic_items:
        raise OperationError(
            f"The period's instrument version ({period.instrument_version}) has no systemic "
            "factor items to take notes on."
        )
    _check(actor, period, facts)
    if actor.id not in facts.participant_ids:
        raise OperationError(
            "Record only interviews you take part in: name yourself as the interviewer "
            "or a note-taker.",
            "interviewer_id",
        )
    interview = Interview(site_id=period.site_id, period=period, created_by_id=actor.id)
    _apply(interview, facts)
    interview.note_sets = [NoteSet(author_id=user_id) for user_id in facts.note_taker_ids]
    db.session.add(interview)
    record(
        actor,
        "interview.create",
        interview,
        f"Recorded {label(interview)}",
        site=period.site,
        after=snapshot(interview),
    )
    return interview


def update_interview(actor: User, interview: Interview, facts: InterviewFacts) -> None:
    """Change an interview's details; note-takers change only until the merge."""
    lock_row(interview)  # decide on the interview as it is now (not merged or completed since)
    if not can.may_edit_details(interview, actor):
        raise OperationError(
            "Only the interviewer and the official note-taker can change the interview's details."
        )
    if locked := can.why_locked(interview):
        raise OperationError(locked)
    _check(actor, interview.period, facts)
    old = [user.id for user in interview.note_takers]
    new = facts.note_taker_ids
    if interview.is_merged and (old[0] != new[0] or set(old) != set(new)):
        raise OperationError(
            "The notes are merged already, so the note-takers can no longer change.",
            "supporting_ids",
        )
    dropped = [s for s in interview.note_sets if not s.is_final and s.author_id not in new]
    if wrote := [s.author.display_name for s in dropped if s.written and s.author]:
        raise OperationError(
            f"{names(wrote)} already wrote notes on this interview, so they stay note-takers.",
            "supporting_ids",
        )
    if actor.id not in facts.participant_ids:
        raise OperationError(
            "You would no longer take part in the interview; ask another participant to "
            "make that change.",
            "interviewer_id",
        )
    before = snapshot(interview)
    _apply(interview, facts)
    interview.note_sets = [s for s in interview.note_sets if s not in dropped]
    have = {s.author_id for s in interview.note_sets}
    interview.note_sets.extend(NoteSet(author_id=uid) for uid in new if uid not in have)
    if before != snapshot(interview):
        record(
            actor,
            "interview.update",
            interview,
            f"Edited {label(interview)}",
            site=interview.period.site,
            before=before,
            after=snapshot(interview),
        )


def change_status(interview: Interview, expected_version: int | None, **values) -> None:
    """Change the status (or mark the merge) unless someone else changed the interview first."""
    version = interview.status_version if expected_version is None else expected_version
    update_if_unchanged(
        interview,
        Interview.status_version == version,
        values={"status_version": version + 1, "status_changed_at": utcnow(), **values},
        refused="Someone else changed this interview a moment ago; nothing was done. "
        "Look at it again before you act.",
    )


def check_finisher(actor: User, interview: Interview, what: str) -> None:
    """Refuse anyone but the official note-taker, and an interview that can no longer change."""
    lock_row(interview)
    if not can.may_finish(interview, actor):
        official = interview.official_note_taker.display_name
        raise OperationError(f"Only the official note-taker, {official}, can {what}.")
    if locked := can.why_locked(interview):
        raise OperationError(locked)


def complete(actor: User, interview: Interview, expected_version: int | None = None) -> None:
    """Mark the interview complete: merged, final notes written, no open QA thread."""
    check_finisher(actor, interview, "mark the interview complete")
    final = interview.final_notes
    if final is None:
        raise OperationError("Merge the note-takers' notes first, then complete the interview.")
    if not final.written:
        raise OperationError("The final notes are empty: write them before completing.")
    if count := open_count(Thread.interview_id == interview.id):
        raise OperationError(
            f"{count} QA comment thread(s) are still open: QA resolves them first."
        )
    change_status(
        interview,
        expected_version,
        status=InterviewStatus.COMPLETE,
        completed_at=utcnow(),
        return_reason="",
    )
    record(
        actor,
        "interview.complete",
        interview,
        f"Completed {label(interview)}",
        site=interview.period.site,
        before={"status": InterviewStatus.DRAFT},
        after={"status": InterviewStatus.COMPLETE},
    )


def return_to_draft(
    actor: User, interview: Interview, reason: str, expected_version: int | None = None
) -> None:
    """QA sends a complete interview back to its official note-taker, with a reason."""
    lock_row(interview)
    if not roles_of(actor, interview.period.site).qa_rank:
        raise OperationError("Only QA staff can return a complete interview to draft.")
    if interview.status != InterviewStatus.COMPLETE:
        raise OperationError("The interview is a draft already.")
    hold_open(interview.period, "The review period is closed; its interviews can no longer change.")
    reason = reason.strip()
    if not reason:
        raise OperationError("Give the reason; the official note-taker sees it.", "reason")
    if len(reason) > MAX_REASON:
        raise OperationError(f"Use at most {MAX_REASON} characters.", "reason")
    change_status(
        interview,
        expected_version,
        status=InterviewStatus.DRAFT,
        completed_at=None,
        return_reason=reason,
    )
    record(
        actor,
        "interview.return",
        interview,
        f"Returned {label(interview)} to draft ({reason})",
        site=interview.period.site,
        before={"status": InterviewStatus.COMPLETE},
        after={"status": InterviewStatus.DRAFT, "reason": reason},
    )


def start_thread(actor: User, interview: Interview, item_id: str, body: str) -> Thread:
    """Open a QA comment thread on one systemic item of the interview's notes."""
    lock_row(interview)
    if not roles_of(actor, interview.period.site).qa_rank:
        raise OperationError("Only QA staff can start a comment thread.")
    instrument = get_instrument(interview.period.instrument_version)
    if item_id not in instrument.systemic_items:
        raise OperationError("Choose the item the comment is about.", "item_id")
    return thread_operations.open_thread(
        actor,
        Thread(interview_id=interview.id, item_id=item_id, case_status=interview.status),
        thread_operations.check_body(body),
        f"QA comment on {label(interview)}, {instrument.systemic_label(item_id)}",
        interview.period.site,
    )


def reply(actor: User, interview: Interview, thread: Thread, body: str) -> Comment:
    """Answer in a thread: QA staff, the interviewer or a note-taker."""
    lock_row(interview)
    if not can.may_reply(interview, actor):
        raise OperationError("Only QA staff, the interviewer and the note-takers can reply.")
    return thread_operations.add_reply(
        actor, thread, body, f"Reply on {label(interview)}", interview.period.site
    )


def set_thread_open(actor: User, interview: Interview, thread: Thread, is_open: bool) -> None:
    """Resolve a thread (or open it again): QA staff only."""
    lock_row(interview)
    if not roles_of(actor, interview.period.site).qa_rank:
        raise OperationError("Only QA staff can resolve comments.")
    thread_operations.set_open(actor, thread, is_open, label(interview), interview.period.site)
