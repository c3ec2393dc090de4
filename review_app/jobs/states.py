"""Where a job stands, and the groups of states the code asks about.

The values are what the ``jobs.status`` column stores (a CHECK constraint allows
these and no other); code and templates name states from here, never by their text.
"""

from enum import StrEnum
from typing import ClassVar


class JobStatus(StrEnum):
    """The state of a job; each member's value is its stored text."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    ACTIVE: ClassVar[frozenset["JobStatus"]]  # waiting or working: may be cancelled
    FINISHED: ClassVar[frozenset["JobStatus"]]  # nothing more happens until retried

    @property
    def label(self) -> str:
        """Return the state in words, as pages show it."""
        return STATUS_LABELS[self]


JobStatus.ACTIVE = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})
JobStatus.FINISHED = frozenset(JobStatus) - JobStatus.ACTIVE

STATUS_LABELS: dict[JobStatus, str] = {
    JobStatus.QUEUED: "Waiting to start",
    JobStatus.RUNNING: "Working",
    JobStatus.DONE: "Done",
    JobStatus.FAILED: "Failed",
    JobStatus.CANCELLED: "Cancelled",
}
