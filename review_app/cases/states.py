"""Where a case stands in the review workflow, and the groups of states the code asks about.

The values are what the ``cases.status`` column stores (a CHECK constraint allows
these and no other); code and templates name states and groups from here, never
by their text. ``review_app/cases/workflow.py`` says which action leads where.
"""

from enum import StrEnum
from typing import ClassVar


class CaseStatus(StrEnum):
    """The state of a case; each member's value is its stored text."""

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    QA1 = "qa1"
    RETURNED = "returned"
    QA2 = "qa2"
    FINALIZED = "finalized"
    ELIMINATED = "eliminated"

    # Groups, set below the class (members do not exist yet inside its body).
    EDITABLE: ClassVar[frozenset["CaseStatus"]]  # its reviewers may change answers
    HELD_BY_QA: ClassVar[frozenset["CaseStatus"]]  # at a QA level: reviewers wait
    IN_QA: ClassVar[frozenset["CaseStatus"]]  # submitted and not closed: QA may comment
    CLOSED: ClassVar[frozenset["CaseStatus"]]  # read-only until a state administrator acts
    RESETTABLE: ClassVar[frozenset["CaseStatus"]]  # a trainee may reset their practice copy

    @property
    def label(self) -> str:
        """Return the state in words, as pages show it."""
        return STATUS_LABELS[self]

    @classmethod
    def at_qa_level(cls, level: int) -> "CaseStatus":
        """Return the state of a case at QA level ``level`` (1 or 2)."""
        return cls.QA2 if level == 2 else cls.QA1


CaseStatus.EDITABLE = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.RETURNED})
CaseStatus.HELD_BY_QA = frozenset({CaseStatus.QA1, CaseStatus.QA2})
CaseStatus.IN_QA = frozenset(
    {CaseStatus.SUBMITTED, CaseStatus.QA1, CaseStatus.QA2, CaseStatus.RETURNED}
)
CaseStatus.CLOSED = frozenset({CaseStatus.FINALIZED, CaseStatus.ELIMINATED})
CaseStatus.RESETTABLE = frozenset(CaseStatus) - CaseStatus.HELD_BY_QA - {CaseStatus.ELIMINATED}

STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.IN_PROGRESS: "In progress",
    CaseStatus.SUBMITTED: "Submitted for QA",
    CaseStatus.QA1: "In QA, level 1",
    CaseStatus.RETURNED: "Returned to reviewer",
    CaseStatus.QA2: "In QA, level 2",
    CaseStatus.FINALIZED: "Finalized",
    CaseStatus.ELIMINATED: "Eliminated",
}
