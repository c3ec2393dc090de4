"""Every change to interviews: recording them, notes, the merge, completion, QA comments."""

from sqlalchemy import func, select, update

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.core.models import utcnow
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.interviews import permissions as can
from review_app.interviews.facts import InterviewFacts, check_facts
from review_app.interviews.models import Interview, NoteSet
from review_app.interviews.notes import claim, merged_texts, save_texts
from review_app.members.operations import membership_of
from review_app.members.roles import RoleSet
from review_app.periods.models import ReviewPeriod
from review_app.qa.models import Comment, Thread
from review_app.qa.operations import check_body

MAX_REASON = 1000


def roles_of(actor: User, interview_or_period: Interview | ReviewPeriod) -> RoleSet:
    site = getattr(interview_or_period, "period", interview_or_period).site
    return can.roles_from(membership_of(actor, site))


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


def _label(interview: Interview) -> str:
    return f"the interview of {interview.held_on.isoformat()} ({interview.local_site.name})"


def _check(period: ReviewPeriod, facts: InterviewFacts) -> None:
    errors = check_facts(period, facts)
    if errors:
        field, message = next(iter(errors.items()))
        raise OperationError(message, field)


def _apply(interview: Interview, facts: InterviewFacts) -> None:
    interview.held_on, interview.local_site = facts.held_on, facts.local_site
    interview.title = facts.title.strip()
    interview.stakeholder_types = list(dict.fromkeys(facts.stakeholder_types))
    interview.interviewer = facts.interviewer
    interview.official_note_taker = facts.official_note_taker
    interview.supporting_note_takers = list(dict.fromkeys(facts.supporting))


def create_interview(actor: User, period: ReviewPeriod, facts: InterviewFacts) -> Interview:
    """Record an interview a reviewer takes part in, with an empty note set per note-taker."""
    if not period.is_open:
        raise OperationError("This review period is closed: no more interviews can be recorded.")
    if not roles_of(actor, period).is_reviewer:
        raise OperationError("Only reviewers record interviews.")
    if not get_instrument(period.instrument_version).systemic_items:
        raise OperationError(
            f"The period's instrument version ({period.instrument_version}) has no systemic "
            "factor items to take notes on."
        )
    _check(period, facts)
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
        f"Recorded {_label(interview)}",
        site=period.site,
        after=snapshot(interview),
    )
    return interview


def update_interview(actor: User, interview: Interview, facts: InterviewFacts) -> None:
    """Change an interview's details; note-takers change only until the merge."""
    if not can.may_edit_details(interview, actor, roles_of(actor, interview)):
        raise OperationError(
            "Only the interviewer and the official note-taker can change the interview's details."
        )
    if locked := can.why_locked(interview):
        raise OperationError(locked)
    _check(interview.period, facts)
    old = [user.id for user in interview.note_takers]
    new = facts.note_taker_ids
    if interview.is_merged and (old[0] != new[0] or set(old) != set(new)):
        raise OperationError(
            "The notes are merged already, so the note-takers can no longer change.",
            "supporting_ids",
        )
    dropped = [s for s in interview.note_sets if not s.is_final and s.author_id not in new]
    if wrote := [s.author.display_name for s in dropped if s.written]:
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
            f"Edited {_label(interview)}",
            site=interview.period.site,
            before=before,
            after=snapshot(interview),
        )


def save_notes(
    actor: User,
    interview: Interview,
    note_set: NoteSet,
    texts: dict[str, str],
    lock_version: int,
    is_done: bool | None = None,
) -> NoteSet:
    """Save a note-taker's own notes (and whether they are done), or the final notes."""
    roles = roles_of(actor, interview)
    if note_set.is_final and not can.may_finish(interview, actor, roles):
        raise OperationError("Only the official note-taker edits the final notes.")
    if not note_set.is_final:
        if note_set.author_id != actor.id or not can.may_write_own_notes(interview, actor, roles):
            raise OperationError("Only the note-taker who wrote these notes can change them.")
        if interview.is_merged:
            raise OperationError(
                f"The notes were merged at {interview.merged_at:%Y-%m-%d %H:%M} UTC, so yours "
                "can no longer change. Nothing was saved: pass what you still want in the "
                f"final notes to {interview.official_note_taker.display_name}, the official "
                "note-taker."
            )
    if locked := can.why_locked(interview):
        raise OperationError(locked)
    instrument = get_instrument(interview.period.instrument_version)
    before, after = save_texts(
        actor, instrument, note_set, texts, lock_version, len(interview.note_takers)
    )
    if is_done is not None and not note_set.is_final and is_done != note_set.is_done:
        before["done writing"], after["done writing"] = note_set.is_done, is_done
        note_set.is_done, note_set.done_at = is_done, utcnow() if is_done else None
    whose = "Final notes" if note_set.is_final else f"{actor.display_name}'s notes"
    record(
        actor,
        "interview.notes",
        interview,
        f"{whose} on {_label(interview)} saved"
        + (
            f" (items {', '.join(k for k in after if k in instrument.systemic_items)})"
            if after
            else ""
        ),
        site=interview.period.site,
        before=before,
        after=after,
    )
    return note_set


def _move(interview: Interview, expected_version: int | None, **values) -> None:
    """Change the status (or merge) unless someone else changed the interview first."""
    version = interview.status_version if expected_version is None else expected_version
    moved = db.session.execute(
        update(Interview)
        .where(Interview.id == interview.id, Interview.status_version == version)
        .values(status_version=version + 1, status_changed_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise OperationError(
            "Someone else changed this interview a moment ago; nothing was done. "
            "Look at it again before you act."
        )
    db.session.refresh(interview)


def _check_finisher(actor: User, interview: Interview, what: str) -> None:
    if not can.may_finish(interview, actor, roles_of(actor, interview)):
        official = interview.official_note_taker.display_name
        raise OperationError(f"Only the official note-taker, {official}, can {what}.")
    if locked := can.why_locked(interview):
        raise OperationError(locked)


def merge(actor: User, interview: Interview, expected_version: int | None = None) -> NoteSet:
    """Build the final notes from every note-taker's notes, once all are done writing."""
    _check_finisher(actor, interview, "merge the notes")
    if interview.is_merged:
        raise OperationError("The notes are merged already: edit the final notes.")
    own = {s.author_id: s for s in interview.note_sets if not s.is_final}
    # The official note-taker's merge says they are done; the others must say so themselves.
    writing = [
        user.display_name
        for user in interview.supporting_note_takers
        if user.id not in own or not own[user.id].is_done
    ]
    if writing:
        raise OperationError(
            f"{names(writing)} {'is' if len(writing) == 1 else 'are'} still writing: merge "
            "once every note-taker has marked their notes done. Nothing was changed."
        )
    for note_set in own.values():
        # A note-taker saving at this very moment makes the merge stop, not lose their text.
        if not claim(
            note_set, note_set.lock_version, actor, must_be_done=note_set.author_id != actor.id
        ):
            raise OperationError(
                f"{note_set.author.display_name} changed their notes a moment ago; nothing was "
                "merged. Look at the interview again, then merge."
            )
        note_set.is_done = True
        note_set.done_at = note_set.done_at or utcnow()
    _move(interview, expected_version, merged_at=utcnow())
    instrument = get_instrument(interview.period.instrument_version)
    final = NoteSet(
        author_id=None,
        texts=merged_texts(instrument, interview.note_takers, own),
        is_done=True,
        lock_version=0,
        updated_by_id=actor.id,
    )
    interview.note_sets.append(final)
    db.session.flush()
    record(
        actor,
        "interview.merge",
        interview,
        f"Merged the notes of {len(own)} note-taker(s) on {_label(interview)}",
        site=interview.period.site,
        after={"note_takers": [user.username for user in interview.note_takers]},
    )
    return final


def open_threads(interview: Interview) -> int:
    return db.session.scalar(
        select(func.count()).where(Thread.interview_id == interview.id, Thread.is_open)
    )


def complete(actor: User, interview: Interview, expected_version: int | None = None) -> None:
    """Mark the interview complete: merged, final notes written, no open QA thread."""
    _check_finisher(actor, interview, "mark the interview complete")
    final = interview.final_notes
    if final is None:
        raise OperationError("Merge the note-takers' notes first, then complete the interview.")
    if not final.written:
        raise OperationError("The final notes are empty: write them before completing.")
    if count := open_threads(interview):
        raise OperationError(
            f"{count} QA comment thread(s) are still open: QA resolves them first."
        )
    _move(interview, expected_version, status="complete", completed_at=utcnow(), return_reason="")
    record(
        actor,
        "interview.complete",
        interview,
        f"Completed {_label(interview)}",
        site=interview.period.site,
        before={"status": "draft"},
        after={"status": "complete"},
    )


def return_to_draft(
    actor: User, interview: Interview, reason: str, expected_version: int | None = None
) -> None:
    """QA sends a complete interview back to its official note-taker, with a reason."""
    if not roles_of(actor, interview).qa_level:
        raise OperationError("Only QA staff can return a complete interview to draft.")
    if interview.status != "complete":
        raise OperationError("The interview is a draft already.")
    if not interview.period.is_open:
        raise OperationError("The review period is closed; its interviews can no longer change.")
    reason = reason.strip()
    if not reason:
        raise OperationError("Give the reason; the official note-taker sees it.", "reason")
    if len(reason) > MAX_REASON:
        raise OperationError(f"Use at most {MAX_REASON} characters.", "reason")
    _move(interview, expected_version, status="draft", completed_at=None, return_reason=reason)
    record(
        actor,
        "interview.return",
        interview,
        f"Returned {_label(interview)} to draft ({reason})",
        site=interview.period.site,
        before={"status": "complete"},
        after={"status": "draft", "reason": reason},
    )


def start_thread(actor: User, interview: Interview, item_id: str, body: str) -> Thread:
    """Open a QA comment thread on one systemic item of the interview's notes."""
    if not roles_of(actor, interview).qa_level:
        raise OperationError("Only QA staff can start a comment thread.")
    instrument = get_instrument(interview.period.instrument_version)
    if item_id not in instrument.systemic_items:
        raise OperationError("Choose the item the comment is about.", "item_id")
    body = check_body(body)
    thread = Thread(
        interview_id=interview.id, item_id=item_id, created_by=actor, case_status=interview.status
    )
    thread.comments.append(Comment(author=actor, body=body))
    db.session.add(thread)
    record(
        actor,
        "qa.comment",
        thread,
        f"QA comment on {_label(interview)}, {instrument.systemic_label(item_id)}",
        site=interview.period.site,
        after={"body": body},
    )
    return thread


def reply(actor: User, interview: Interview, thread: Thread, body: str) -> Comment:
    """Answer in a thread: QA staff, the interviewer or a note-taker."""
    if not can.may_reply(interview, actor, roles_of(actor, interview)):
        raise OperationError("Only QA staff, the interviewer and the note-takers can reply.")
    comment = Comment(thread=thread, author=actor, body=check_body(body))
    db.session.add(comment)
    record(
        actor,
        "qa.reply",
        thread,
        f"Reply on {_label(interview)}",
        site=interview.period.site,
        after={"body": comment.body},
    )
    return comment


def set_thread_open(actor: User, interview: Interview, thread: Thread, is_open: bool) -> None:
    """Resolve a thread (or open it again): QA staff only."""
    if not roles_of(actor, interview).qa_level:
        raise OperationError("Only QA staff can resolve comments.")
    if thread.is_open == is_open:
        raise OperationError(f"The thread is already {'open' if is_open else 'resolved'}.")
    thread.is_open = is_open
    thread.resolved_by, thread.resolved_at = (None, None) if is_open else (actor, utcnow())
    record(
        actor,
        "qa.reopen_thread" if is_open else "qa.resolve",
        thread,
        f"{'Reopened' if is_open else 'Resolved'} a comment on {_label(interview)}",
        site=interview.period.site,
        before={"is_open": not is_open},
        after={"is_open": is_open},
    )
