"""Where a stakeholder interview stands: a draft being written, or complete.

The values are what the ``interviews.status`` column stores (a CHECK constraint
allows these and no other); code and templates name the states from here.
"""

from enum import StrEnum


class InterviewStatus(StrEnum):
    """The state of an interview; each member's value is its stored text."""

    DRAFT = "draft"  # note-takers write, the official one merges and edits
    COMPLETE = "complete"  # the final notes are done; systemic ratings may cite it

    @property
    def label(self) -> str:
        """Return the state in words, as pages show it."""
        return STATUS_LABELS[self]


STATUS_LABELS: dict[InterviewStatus, str] = {
    InterviewStatus.DRAFT: "Draft",
    InterviewStatus.COMPLETE: "Complete",
}
