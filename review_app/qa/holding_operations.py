"""Who holds a case for QA: taking it, releasing it, a state administrator handing it over.

A case in QA (level 1 or 2) is held by at most one QA person. Only the holder
returns, passes on, finalizes or overrides it (``workflow.HOLDER_ACTIONS``); a
case nobody holds waits in its queue for anyone at its level. Each change locks
the case's row first, so a check and its write agree.
"""

from dataclasses import dataclass

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.cases import workflow
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.core.errors import OperationError
from review_app.core.locking import lock_row
from review_app.core.roles import RoleSet, roles_of
from review_app.core.scope import actor_scope, scope_of
from review_app.qa.signals import case_handed_over
from review_app.qa.undo_operations import return_undo_refusal

LEVELS = {CaseStatus.QA1: 1, CaseStatus.QA2: 2}


def level_of(case: Case) -> int:
    """Return the QA level the case is at (1 or 2)."""
    return LEVELS[case.status]


def _check_in_qa(case: Case) -> None:
    if case.status not in CaseStatus.HELD_BY_QA:
        raise OperationError(
            f"Case {case.case_number} is {case.status_label.lower()}, not in QA: "
            "there is nothing to take or hand over."
        )


def _set_holder(actor: User, case: Case, holder: User | None, action: str, summary: str) -> None:
    before = case.qa_holder.display_name if case.qa_holder else None
    case.qa_holder = holder
    record(
        actor,
        action,
        case,
        summary,
        site=case.period.site,
        before={"qa_holder": before},
        after={"qa_holder": holder.display_name if holder else None},
    )


def take(actor: User, case: Case) -> None:
    """Make ``actor`` the holder of a case waiting at their QA level."""
    lock_row(case)
    _check_in_qa(case)
    if (roles_of(actor, case.period.site).qa_rank or 0) < level_of(case):
        raise OperationError(f"Only QA level {level_of(case)} staff can take this case.")
    if case.qa_holder_id == actor.id:
        raise OperationError(f"You already hold case {case.case_number}.")
    if case.qa_holder_id is not None:
        raise OperationError(workflow.holder_refusal(case))
    _set_holder(
        actor,
        case,
        actor,
        "qa.take",
        f"Case {case.case_number} taken for QA level {level_of(case)} by {actor.display_name}",
    )


def release(actor: User, case: Case) -> None:
    """Put a case the actor holds back in its queue, for anyone at its level."""
    lock_row(case)
    _check_in_qa(case)
    if case.qa_holder_id != actor.id:
        raise OperationError(f"You do not hold case {case.case_number}, so you cannot release it.")
    _set_holder(
        actor,
        case,
        None,
        "qa.release",
        f"Case {case.case_number} released to the QA level {level_of(case)} queue "
        f"by {actor.display_name}",
    )


def hand_over(actor: User, case: Case, to_user: User | None) -> None:
    """A state administrator gives the case to another QA person (None: back to the queue)."""
    site = case.period.site
    if not roles_of(actor, site).is_state_admin:
        raise OperationError("Only a state administrator can hand QA work to someone else.")
    if not actor_scope(actor, site.id).covers(case.local_site_id):
        raise OperationError("This case is outside the local sites you manage.")
    lock_row(case)
    _check_in_qa(case)
    level = level_of(case)
    if to_user is not None and (roles_of(to_user, site).qa_rank or 0) < level:
        raise OperationError(
            f"{to_user.display_name} is not QA level {level} staff on this site.", "to_user"
        )
    if to_user is not None and not scope_of(to_user, site).covers(case.local_site_id):
        raise OperationError(
            f"{to_user.display_name}'s access does not reach {case.local_site.name}.", "to_user"
        )
    if (to_user.id if to_user else None) == case.qa_holder_id:
        raise OperationError("The case is already held that way; nothing was changed.", "to_user")
    whom = to_user.display_name if to_user else f"the QA level {level} queue"
    _set_holder(actor, case, to_user, "qa.hand_over", f"Case {case.case_number} handed to {whom}")
    if to_user is not None:
        case_handed_over.send(case, actor=actor, to_user=to_user)


@dataclass(frozen=True)
class HoldPanel:
    """What the case page shows about who holds the case for QA, and the buttons offered."""

    holder: User | None
    level: int | None
    may_take: bool
    may_release: bool
    may_hand_over: bool
    may_undo_return: bool


def panel(case: Case, actor: User, roles: RoleSet) -> HoldPanel | None:
    """Return the hold panel for ``actor`` on the case, or None when there is nothing to show."""
    may_undo = (
        case.status == CaseStatus.RETURNED
        and bool(roles.qa_rank)
        and return_undo_refusal(actor, case) is None
    )
    if case.status not in CaseStatus.HELD_BY_QA:
        if not may_undo:
            return None
        return HoldPanel(None, None, False, False, False, True)
    level = level_of(case)
    return HoldPanel(
        holder=case.qa_holder,
        level=level,
        may_take=case.qa_holder_id is None and (roles.qa_rank or 0) >= level,
        may_release=case.qa_holder_id == actor.id,
        may_hand_over=roles.is_state_admin,
        may_undo_return=False,
    )
