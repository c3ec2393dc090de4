"""Undo a mistaken caseload move or return, while nothing has happened to the cases since.

"Nothing since" is read from the audit log: every change to a case (a save, an
edit, a status change, a reassignment) records an entry on it, so a later entry
on the case means someone has acted on it and the undo is refused for that case.
"""

from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.audit.operations import record
from review_app.cases.models import Case
from review_app.cases.queries import is_assigned
from review_app.cases.states import CaseStatus
from review_app.core.errors import OperationError
from review_app.core.locking import lock_row
from review_app.core.scope import actor_scope
from review_app.extensions import db
from review_app.qa.operations import _move, reassign


def _changed_since(case_ids: list[int], entry_id: int) -> set[int]:
    """Return the cases among ``case_ids`` with a recorded change after entry ``entry_id``."""
    return set(
        db.session.scalars(
            select(AuditEntry.object_id).where(
                AuditEntry.object_type == "Case",
                AuditEntry.object_id.in_(case_ids),
                AuditEntry.id > entry_id,
                AuditEntry.is_read_event.is_(False),
            )
        )
    )


def last_return(case: Case) -> AuditEntry | None:
    """Return the audit entry of the case's latest return to its reviewers."""
    return db.session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.object_type == "Case",
            AuditEntry.object_id == case.id,
            AuditEntry.action == "case.return",
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def return_undo_refusal(actor: User, case: Case) -> str | None:
    """Say why the actor cannot undo the case's return now, or None when they can."""
    if case.status != CaseStatus.RETURNED:
        label = case.status_label.lower()
        return f"Case {case.case_number} is {label}: there is no return to undo."
    entry = last_return(case)
    if entry is None:
        return f"Case {case.case_number} has no recorded return to undo."
    if entry.actor_id != actor.id:
        return "Only the person who returned the case can undo the return."
    if _changed_since([case.id], entry.id):
        return (
            f"The return of case {case.case_number} can no longer be undone: "
            "the case has changed since it was returned."
        )
    return None


def undo_return(actor: User, case: Case) -> None:
    """Put a returned case back where it was in QA, held as before, if nothing changed since."""
    lock_row(case)
    if refused := return_undo_refusal(actor, case):
        raise OperationError(refused)
    entry = last_return(case)
    assert entry is not None  # return_undo_refusal refused a case without a recorded return
    before = entry.before or {}
    recorded = before.get("status")
    back_to = CaseStatus(recorded) if recorded in CaseStatus.HELD_BY_QA else CaseStatus.QA1
    _move(case, None, back_to)
    case.qa_holder_id = before.get("qa_holder_id")
    record(
        actor,
        "case.undo_return",
        case,
        f"Case {case.case_number}: return to the reviewers undone",
        site=case.period.site,
        before={"status": CaseStatus.RETURNED},
        after={"status": case.status},
    )


def move_entry(site, entry_id: int) -> AuditEntry | None:
    """Return the caseload move recorded as ``entry_id`` on the site, or None."""
    entry = db.session.get(AuditEntry, entry_id)
    if entry is None or entry.action != "caseload.move" or entry.site_id != site.id:
        return None
    return entry


def undone_by(entry: AuditEntry) -> AuditEntry | None:
    """Return the entry that undid the move, if it was undone."""
    return db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "caseload.undo",
            AuditEntry.object_type == "AuditEntry",
            AuditEntry.object_id == entry.id,
        )
    )


def _had_before(case_ids: list[int], entry_id: int, username: str) -> set[int | None]:
    """Return the cases whose reviewers, just before the move ``entry_id``, included ``username``.

    Read from each case's last reassignment recorded before the move's own entry.
    """
    last = (
        select(func.max(AuditEntry.id))
        .where(
            AuditEntry.action == "case.reassign",
            AuditEntry.object_type == "Case",
            AuditEntry.object_id.in_(case_ids),
            AuditEntry.id < entry_id,
        )
        .group_by(AuditEntry.object_id)
    )
    return {
        row.object_id
        for row in db.session.scalars(select(AuditEntry).where(AuditEntry.id.in_(last)))
        if username in (row.before or {}).get("reviewers", [])
    }


def user_of(user_id) -> User | None:
    """Return the user a move's record names, or None when it names none."""
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def undo_move(actor: User, site, entry: AuditEntry) -> tuple[list[Case], list[Case]]:
    """Move back the cases of a caseload move that nobody touched since; return moved, left.

    A limited administrator moves back the cases of their local sites only.
    """
    if undone_by(entry) is not None:
        raise OperationError("This move was already undone.")
    details = entry.after or {}
    source, dest = user_of(details.get("from")), user_of(details.get("to"))
    reach = actor_scope(actor, site.id).condition(Case.local_site_id)
    cases = list(
        db.session.scalars(
            select(Case).where(Case.id.in_(details.get("cases") or []), reach).order_by(Case.id)
        )
    )
    ids = [case.id for case in cases]
    if source is None or dest is None or not ids:
        raise OperationError("This move has no cases to move back.")
    for case in cases:
        lock_row(case)  # first every lock, then the checks: nothing slips in between
    touched = _changed_since(ids, entry.id)
    had_dest = _had_before(ids, entry.id, dest.username)
    moved: list[Case] = []
    left: list[Case] = []
    for case in cases:
        untouched = (
            case.id not in touched
            and case.status not in CaseStatus.CLOSED
            and is_assigned(case, dest.id)
            and not is_assigned(case, source.id)
        )
        if untouched:
            # A case both worked on before the move keeps both after the undo.
            reassign(actor, case, dest, source, keep_from=case.id in had_dest)
            moved.append(case)
        else:
            left.append(case)
    if not moved:
        raise OperationError(
            "The move can no longer be undone: every one of its cases has changed since "
            "(saved, moved again, submitted or closed). Move them one by one if needed."
        )
    record(
        actor,
        "caseload.undo",
        entry,  # the move undone
        f"Caseload move undone: {len(moved)} case(s) moved back to "
        f"{source.display_name}"
        + (f"; {len(left)} left with {dest.display_name} (changed since)" if left else ""),
        site=site,
        after={"cases": [case.id for case in moved]},
    )
    return moved, left
