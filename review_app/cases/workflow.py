"""The case status machine: which action moves a case from where to where, and who may."""

from dataclasses import dataclass

from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.core.roles import RoleSet


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    # What happened, for the audit log ('Case 1234: {done}') and the flash message.
    done: str = ""
    needs_reason: bool = False
    needs_no_open_threads: bool = False
    # Consequential: the button leads to a page that says what will happen, then acts.
    needs_confirmation: bool = False


ACTIONS = {
    "submit": Action("submit", "Submit for QA", "submitted for QA", needs_confirmation=True),
    "take": Action("take", "Start QA level 1", "QA level 1 started"),
    "return": Action(
        "return",
        "Return to the reviewers",
        "returned to the reviewers",
        needs_reason=True,
        needs_confirmation=True,
    ),
    "to_level2": Action(
        "to_level2", "Pass to QA level 2", "passed to QA level 2", needs_no_open_threads=True
    ),
    "finalize": Action(
        "finalize", "Finalize", "finalized", needs_no_open_threads=True, needs_confirmation=True
    ),
    "eliminate": Action(
        "eliminate",
        "Eliminate from the sample",
        "eliminated from the sample",
        needs_reason=True,
        needs_confirmation=True,
    ),
    "reopen": Action(
        "reopen",
        "Reopen the finalized case",
        "reopened",
        needs_reason=True,
        needs_confirmation=True,
    ),
    "reinstate": Action(
        "reinstate", "Put back in the sample", "put back in the sample", needs_reason=True
    ),
}


def done_message(action: str, case_number: str) -> str:
    """Say what an action did, for the person who did it: 'Case 1234 submitted for QA.'."""
    if action == "take":
        return f"You started QA level 1 on case {case_number}."
    spec = ACTIONS.get(action)
    return f"Case {case_number} {spec.done}." if spec else f"Case {case_number} updated."


def target(action: str, case: Case, qa_levels: int) -> CaseStatus:
    """Return the status the action leads to."""
    return {
        "submit": CaseStatus.SUBMITTED,
        "take": CaseStatus.QA1,
        "return": CaseStatus.RETURNED,
        "to_level2": CaseStatus.QA2,
        "finalize": CaseStatus.FINALIZED,
        "eliminate": CaseStatus.ELIMINATED,
        "reopen": CaseStatus.at_qa_level(qa_levels),
        "reinstate": CaseStatus.IN_PROGRESS,
    }[action]


# QA actions that belong to whoever holds the case at its level (see ``held_by_other``).
HOLDER_ACTIONS = {"return", "to_level2", "finalize"}


def refusal(
    action: str,
    case: Case,
    roles: RoleSet,
    assigned: bool,
    qa_levels: int,
    actor_id: int | None = None,
) -> str | None:
    """Say why the action is not allowed now, or None when it is."""
    if case.is_key:
        return "An answer key is published or withdrawn on its key page, not through the workflow."
    status, label = case.status, case.status_label.lower()
    level = roles.qa_rank or 0
    rules = {
        "submit": (
            status in CaseStatus.EDITABLE,
            assigned and roles.is_reviewer,
            "Only the case's assigned reviewers can submit it.",
        ),
        "take": (
            status == CaseStatus.SUBMITTED,
            level >= 1,
            "Only QA staff can start QA on a case.",
        ),
        "return": (
            status in CaseStatus.HELD_BY_QA,
            holds(status, level),
            "Only QA at the level holding the case can return it.",
        ),
        "to_level2": (
            status == CaseStatus.QA1 and qa_levels == 2,
            level >= 1,
            "Only QA staff can pass a case to level 2.",
        ),
        "finalize": (
            status == CaseStatus.at_qa_level(qa_levels),
            holds(status, level),
            "Only QA at the level holding the case can finalize it.",
        ),
        "eliminate": (
            status not in CaseStatus.CLOSED,
            roles.is_state_admin,
            "Only a state administrator can eliminate a case.",
        ),
        "reopen": (
            status == CaseStatus.FINALIZED,
            roles.is_state_admin,
            "Only a state administrator can reopen a finalized case.",
        ),
        "reinstate": (
            status == CaseStatus.ELIMINATED,
            roles.is_state_admin,
            "Only a state administrator can put a case back in the sample.",
        ),
    }
    fits, may, who = rules[action]
    if not fits:
        if action == "to_level2" and qa_levels < 2:
            return "This site has one QA level: finalize the case instead."
        return f"This case is {label}, so “{ACTIONS[action].label}” is not possible now."
    if not may:
        return who
    if action in HOLDER_ACTIONS and held_by_other(case, actor_id):
        return holder_refusal(case)
    return None


def held_by_other(case: Case, actor_id: int | None) -> bool:
    """True when another QA person holds the case: only they act on it at this level.

    A case nobody holds (released, or passed to level 2 and not yet taken) is open
    to anyone at its level; acting on it does not take it.
    """
    return case.qa_holder_id is not None and case.qa_holder_id != actor_id


def holder_refusal(case: Case) -> str:
    name = case.qa_holder.display_name if case.qa_holder else "another QA reviewer"
    return (
        f"{name} holds this case for QA. Ask them to release it, "
        "or a state administrator to hand it to you."
    )


def holds(status: CaseStatus, level: int) -> bool:
    """QA level 2 staff may act at either level; level 1 staff at level 1 only."""
    return (status == CaseStatus.QA1 and level >= 1) or (status == CaseStatus.QA2 and level >= 2)


def available(
    case: Case, roles: RoleSet, assigned: bool, qa_levels: int, actor_id: int | None = None
) -> list[Action]:
    """Return the actions this person may take on the case now."""
    return [
        ACTIONS[name]
        for name in ACTIONS
        if refusal(name, case, roles, assigned, qa_levels, actor_id) is None
    ]


def effect(action: str, case: Case, qa_levels: int) -> str:
    """Say in plain words what the action will do to the case."""
    number = case.case_number
    names = ", ".join(user.display_name for user in case.reviewers) or "its reviewers"
    final = "level 2" if qa_levels == 2 else "level 1"
    return {
        "submit": f"Submit case {number} for QA: its reviewers ({names}) can no longer change "
        "answers, and it joins the queue waiting for QA level 1.",
        "take": f"Take case {number} for QA level 1: you hold it until you finish or release it.",
        "return": f"Return case {number} to its reviewers ({names}): they can change answers "
        "again and must submit it once more. You can undo the return until they change "
        "something.",
        "to_level2": f"Pass case {number} to QA level 2: it joins the level 2 queue and you "
        "no longer hold it.",
        "finalize": f"Finalize case {number}: it becomes read-only and its ratings count in "
        f"the reports. QA {final} ends here; only a state administrator can reopen it.",
        "eliminate": f"Eliminate case {number} from the sample: it becomes read-only and "
        "leaves every report. A state administrator can put it back later.",
        "reopen": f"Reopen case {number}: it goes back to QA {final}, waiting to be taken, "
        "and leaves the reports until it is finalized again.",
        "reinstate": f"Put case {number} back in the sample: it returns to its reviewers, "
        "in progress.",
    }[action]
