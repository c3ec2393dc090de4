"""Every QA change: status transitions, comment threads, overrides, caseload moves."""

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.audit.operations import record
from review_app.cases import workflow
from review_app.cases.facts import reviewer_reach
from review_app.cases.models import ELIMINATION_REASONS, Assignment, Case
from review_app.cases.operations import move_status
from review_app.cases.queries import is_assigned
from review_app.cases.states import CaseStatus
from review_app.core.errors import OperationError
from review_app.core.locking import lock_row
from review_app.core.models import utcnow
from review_app.core.roles import roles_of
from review_app.core.scope import actor_scope
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.qa import thread_operations
from review_app.qa.models import Comment, Thread
from review_app.qa.queries import caseload_of, open_count
from review_app.qa.signals import case_moved, case_reassigned, practice_copy_submitted
from review_app.ratings import queries as rating_queries
from review_app.ratings.completeness import gaps
from review_app.ratings.operations import (
    item_questions,
    keep_submitted_ratings,
    log_change,
    recalculate,
)

MAX_REASON = 1000
OVERRIDE_RATINGS = {"strength", "ani", "not_applicable"}


def _move(case: Case, expected_version: int | None, new_status: str) -> None:
    """Change the status in the review workflow unless someone else changed it first."""
    move_status(
        case,
        new_status,
        expected_version=expected_version,
        refused="Someone else changed this case's status a moment ago; nothing was done. "
        "Look at the case again before you act.",
    )


def transition(
    actor: User,
    case: Case,
    action: str,
    *,
    reason: str = "",
    reason_code: str = "",
    expected_version: int | None = None,
) -> None:
    """Move a case through the workflow, checking the state, the actor and the rules."""
    if action not in workflow.ACTIONS:
        raise OperationError("Unknown action.")
    lock_row(case)  # every check below reads the case as it is now; saves wait for us
    check_allowed(actor, case, action)
    qa_levels = case.period.site.settings.qa_levels
    reason = reason.strip()
    spec = workflow.ACTIONS[action]
    if action == "eliminate":
        if reason_code not in ELIMINATION_REASONS:
            raise OperationError("Choose the reason for eliminating the case.", "reason_code")
        if reason_code == "other" and not reason:
            raise OperationError("Explain the reason.", "reason")
    elif spec.needs_reason and not reason:
        raise OperationError("Give the reason; it is kept in the case's history.", "reason")
    if len(reason) > MAX_REASON:
        raise OperationError(f"Use at most {MAX_REASON} characters.", "reason")
    if action == "submit" and case.key_case_id is not None:
        practice_copy_submitted.send(case, actor=actor)  # training scores it
    before = {"status": case.status, "qa_holder_id": case.qa_holder_id}
    _move(case, expected_version, workflow.target(action, case, qa_levels))
    # Taking a case makes the taker its holder; any other move ends the hold at that level.
    case.qa_holder_id = actor.id if action == "take" else None
    if action == "submit":
        case.submitted_at = utcnow()
        keep_submitted_ratings(case, actor)
    if action == "finalize":
        case.finalized_at = utcnow()
    if action == "eliminate":
        case.elimination_reason, case.elimination_note = reason_code, reason
    if action == "reinstate":
        case.elimination_reason, case.elimination_note = None, ""
    after = {
        "status": case.status,
        **({"reason": reason} if reason else {}),
        **({"reason_code": reason_code} if reason_code else {}),
    }
    record(
        actor,
        f"case.{action}",
        case,
        f"Case {case.case_number}: {spec.done}" + (f" ({reason})" if reason else ""),
        site=case.period.site,
        before=before,
        after=after,
    )
    case_moved.send(case, actor=actor, action=action)


def check_allowed(actor: User, case: Case, action: str) -> None:
    """Refuse the action when its rules forbid it now; reasons are checked apart.

    The confirmation page calls this too, so that it never asks about an action
    that would be refused anyway.
    """
    refused = workflow.refusal(
        action,
        case,
        roles_of(actor, case.period.site),
        is_assigned(case, actor.id),
        case.period.site.settings.qa_levels,
        actor.id,
    )
    if refused:
        raise OperationError(refused)
    spec = workflow.ACTIONS[action]
    if spec.needs_no_open_threads and (count := open_count(Thread.case_id == case.id)):
        raise OperationError(f"{count} comment thread(s) are still open: resolve them first.")
    if action == "submit":
        _check_complete(case)


def _check_complete(case: Case) -> None:
    instrument = get_instrument(case.period.instrument_version)
    ratings, rows, reviews = rating_queries.case_ratings(case, instrument)
    missing = gaps(instrument, ratings, rows, reviews)
    if missing:
        raise OperationError(
            f"The case is not complete: {len(missing)} thing(s) are missing (first: "
            f"{missing[0].message}). The completeness list links to each."
        )


def start_thread(
    actor: User, case: Case, item_id: str, question_id: str | None, body: str
) -> Thread:
    """Open a QA comment thread on an item, or on one of its questions."""
    if not roles_of(actor, case.period.site).qa_rank:
        raise OperationError("Only QA staff can start a comment thread.")
    lock_row(case)
    if case.status not in CaseStatus.IN_QA:
        raise OperationError(f"This case is {case.status_label.lower()}: comments are closed.")
    body = thread_operations.check_body(body)
    instrument = get_instrument(case.period.instrument_version)
    if item_id != "face" and item_id not in instrument.items:
        raise OperationError("Unknown item.")
    if question_id and question_id not in {q.id for q in item_questions(instrument, item_id)}:
        raise OperationError("That question is not part of this item.", "question_id")
    thread = Thread(
        case_id=case.id, item_id=item_id, question_id=question_id or None, case_status=case.status
    )
    return thread_operations.open_thread(
        actor,
        thread,
        body,
        f"QA comment on case {case.case_number}, "
        f"{'face sheet' if item_id == 'face' else 'item ' + item_id}"
        + (f", {instrument.question_label(question_id)}" if question_id else ""),
        case.period.site,
    )


def reply(actor: User, case: Case, thread: Thread, body: str) -> Comment:
    """Answer in a thread: QA staff or the case's reviewers, while the case is not closed."""
    roles = roles_of(actor, case.period.site)
    lock_row(case)
    if not (roles.qa_rank or (roles.is_reviewer and is_assigned(case, actor.id))):
        raise OperationError("Only QA staff and the case's reviewers can reply.")
    if case.status in CaseStatus.CLOSED:
        raise OperationError(f"This case is {case.status_label.lower()}: comments are closed.")
    return thread_operations.add_reply(
        actor, thread, body, f"Reply on case {case.case_number}", case.period.site
    )


def set_thread_open(actor: User, case: Case, thread: Thread, is_open: bool) -> None:
    """Resolve a thread (or open it again): QA staff only."""
    if not roles_of(actor, case.period.site).qa_rank:
        raise OperationError("Only QA staff can resolve comments.")
    lock_row(case)
    if case.status in CaseStatus.CLOSED:
        raise OperationError(f"This case is {case.status_label.lower()}: comments are closed.")
    thread_operations.set_open(actor, thread, is_open, f"case {case.case_number}", case.period.site)


def set_override(actor: User, case: Case, item_id: str, rating: str | None, reason: str) -> None:
    """Override an item's calculated rating (or remove the override), with a reason."""
    site = case.period.site
    if not site.settings.allow_qa_override:
        raise OperationError("QA overrides are turned off on this site.")
    roles = roles_of(actor, case.period.site)
    lock_row(case)
    level = roles.qa_rank or 0
    if case.status not in CaseStatus.HELD_BY_QA or not workflow.holds(case.status, level):
        raise OperationError("Only QA at the level holding the case can override a rating.")
    if workflow.held_by_other(case, actor.id):
        raise OperationError(workflow.holder_refusal(case))
    reason = reason.strip()
    if not reason:
        raise OperationError("Give the reason for the override.", "reason")
    if len(reason) > MAX_REASON:
        raise OperationError(f"Use at most {MAX_REASON} characters.", "reason")
    if rating is not None and rating not in OVERRIDE_RATINGS:
        raise OperationError(
            "Choose Strength, Area Needing Improvement or Not Applicable.", "rating"
        )
    instrument = get_instrument(case.period.instrument_version)
    if item_id not in instrument.items:
        raise OperationError("Unknown item.")
    applies_to = instrument.items[item_id].applies_to
    if applies_to is not None and case.case_type not in applies_to:
        # Not Applicable by the case's type: the reports leave it out, so must QA.
        raise OperationError(
            f"Item {item_id} does not apply to {case.case_type_label.lower()} cases; "
            "its rating cannot be overridden."
        )
    rows, reviews = rating_queries.answers(case), rating_queries.item_reviews(case)
    review = reviews[item_id]
    if review.rating == "incomplete":
        raise OperationError("An incomplete item cannot be overridden.")
    if rating == review.rating:
        raise OperationError(
            "That is the calculated rating: remove the override instead.", "rating"
        )
    before = review.override_rating
    review.override_rating, review.override_reason = rating, reason if rating else ""
    review.override_by_id = actor.id if rating else None
    review.override_at = utcnow() if rating else None
    recalculate(case, instrument, rows, reviews)
    log_change(actor, case, item_id, "override", before, rating, reason)
    record(
        actor,
        "qa.override",
        review,
        f"Case {case.case_number}, item "
        f"{instrument.items[item_id].number}: "
        + (f"rating overridden to {rating}" if rating else "override removed"),
        site=site,
        before={"override": before},
        after={"override": rating, "reason": reason},
    )


def move_caseload(
    actor: User, site, from_user: User, to_user: User, case_ids: set[int] | None = None
) -> tuple[list[Case], AuditEntry]:
    """Give open cases of one reviewer to another in one step; return the cases and the entry.

    ``case_ids`` are the cases the confirmation page listed: a case assigned
    after that page was shown is left alone. The returned entry names the move,
    so that it can be undone (``review_app.qa.undo_operations.undo_move``).
    """
    if not roles_of(to_user, site).is_reviewer:
        raise OperationError(f"{to_user.display_name} is not a reviewer on this site.", "to_user")
    if from_user.id == to_user.id:
        raise OperationError("Choose two different reviewers.", "to_user")
    cases = caseload_of(site, from_user, actor_scope(actor, site.id))
    if case_ids is not None:
        cases = [case for case in cases if case.id in case_ids]
    _check_reaches(to_user, site, cases)
    for case in sorted(cases, key=lambda c: c.id):
        lock_row(case)  # a save or a submit on it waits, then sees the new reviewers
        if case.status in CaseStatus.CLOSED or not is_assigned(case, from_user.id):
            cases.remove(case)  # finalized or moved meanwhile: leave it as it is
            continue
        reassign(actor, case, from_user, to_user)
    entry = record(
        actor,
        "caseload.move",
        site,
        f"{len(cases)} case(s) moved from {from_user.display_name} to {to_user.display_name}",
        site=site,
        after={"from": from_user.id, "to": to_user.id, "cases": [case.id for case in cases]},
    )
    db.session.flush()
    return cases, entry


def _check_reaches(to_user: User, site, cases: list[Case]) -> None:
    """Refuse a move that gives a reviewer cases of local sites their access does not reach."""
    reach = reviewer_reach(site.id, [to_user.id]).get(to_user.id)
    if reach is None:
        return  # not a reviewer here: refused before
    outside = [c for c in cases if not reach.covers(c.local_site_id)]
    if outside:
        numbers = ", ".join(c.case_number for c in sorted(outside, key=lambda c: c.case_number))
        raise OperationError(
            f"{to_user.display_name} reviews cases of {reach.label} only, and {numbers} "
            "lie elsewhere: choose a reviewer who works there, or assign those cases one "
            "by one.",
            "to_user",
        )


def reassign(
    actor: User, case: Case, from_user: User, to_user: User, keep_from: bool = False
) -> None:
    """Put ``to_user`` in ``from_user``'s place on the case (the row is locked), audited.

    ``keep_from`` adds ``to_user`` and leaves ``from_user`` assigned too.
    """
    before = sorted(u.username for u in case.reviewers)
    already = is_assigned(case, to_user.id)
    if not keep_from:
        case.assignments = [a for a in case.assignments if a.user_id != from_user.id]
    if not already:
        case.assignments.append(Assignment(user=to_user))
    record(
        actor,
        "case.reassign",
        case,
        f"Case {case.case_number} moved from {from_user.display_name} to {to_user.display_name}",
        site=case.period.site,
        before={"reviewers": before},
        after={"reviewers": sorted(u.username for u in case.reviewers)},
    )
    if not already:
        case_reassigned.send(case, actor=actor, to_user=to_user)
