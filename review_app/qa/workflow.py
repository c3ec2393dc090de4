"""The case status machine: which action moves a case from where to where, and who may."""

from dataclasses import dataclass

from review_app.cases.models import Case
from review_app.members.roles import RoleSet

EDITABLE = {"in_progress", "returned"}  # a reviewer may change answers
QA_HELD = {"qa1", "qa2"}
CLOSED = {"finalized", "eliminated"}


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    # What happened, for the audit log ('Case 1234: {done}') and the flash message.
    done: str = ""
    needs_reason: bool = False
    needs_no_open_threads: bool = False


ACTIONS = {
    "submit": Action("submit", "Submit for QA", "submitted for QA"),
    "take": Action("take", "Start QA level 1", "QA level 1 started"),
    "return": Action(
        "return", "Return to the reviewers", "returned to the reviewers", needs_reason=True
    ),
    "to_level2": Action(
        "to_level2", "Pass to QA level 2", "passed to QA level 2", needs_no_open_threads=True
    ),
    "finalize": Action("finalize", "Finalize", "finalized", needs_no_open_threads=True),
    "eliminate": Action(
        "eliminate", "Eliminate from the sample", "eliminated from the sample", needs_reason=True
    ),
    "reopen": Action("reopen", "Reopen the finalized case", "reopened", needs_reason=True),
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


def target(action: str, case: Case, qa_levels: int) -> str:
    """Return the status the action leads to."""
    return {
        "submit": "submitted",
        "take": "qa1",
        "return": "returned",
        "to_level2": "qa2",
        "finalize": "finalized",
        "eliminate": "eliminated",
        "reopen": "qa2" if qa_levels == 2 else "qa1",
        "reinstate": "in_progress",
    }[action]


def refusal(action: str, case: Case, roles: RoleSet, assigned: bool, qa_levels: int) -> str | None:
    """Say why the action is not allowed now, or None when it is."""
    if case.is_key:
        return "An answer key is published or withdrawn on its key page, not through the workflow."
    status, label = case.status, case.status_label.lower()
    level = roles.qa_level or 0
    rules = {
        "submit": (
            status in EDITABLE,
            assigned and roles.is_reviewer,
            "Only the case's assigned reviewers can submit it.",
        ),
        "take": (status == "submitted", level >= 1, "Only QA staff can start QA on a case."),
        "return": (
            status in QA_HELD,
            holds(status, level),
            "Only QA at the level holding the case can return it.",
        ),
        "to_level2": (
            status == "qa1" and qa_levels == 2,
            level >= 1,
            "Only QA staff can pass a case to level 2.",
        ),
        "finalize": (
            status == ("qa2" if qa_levels == 2 else "qa1"),
            holds(status, level),
            "Only QA at the level holding the case can finalize it.",
        ),
        "eliminate": (
            status not in CLOSED,
            roles.is_state_admin,
            "Only a state administrator can eliminate a case.",
        ),
        "reopen": (
            status == "finalized",
            roles.is_state_admin,
            "Only a state administrator can reopen a finalized case.",
        ),
        "reinstate": (
            status == "eliminated",
            roles.is_state_admin,
            "Only a state administrator can put a case back in the sample.",
        ),
    }
    fits, may, who = rules[action]
    if not fits:
        if action == "to_level2" and qa_levels < 2:
            return "This site has one QA level: finalize the case instead."
        return f"This case is {label}, so “{ACTIONS[action].label}” is not possible now."
    return None if may else who


def holds(status: str, level: int) -> bool:
    """QA level 2 staff may act at either level; level 1 staff at level 1 only."""
    return (status == "qa1" and level >= 1) or (status == "qa2" and level >= 2)


def available(case: Case, roles: RoleSet, assigned: bool, qa_levels: int) -> list[Action]:
    """Return the actions this person may take on the case now."""
    return [
        ACTIONS[name] for name in ACTIONS if refusal(name, case, roles, assigned, qa_levels) is None
    ]
