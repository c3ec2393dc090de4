"""Where an access request stands, and the groups of states the code asks about.

The values are what the ``access_requests.status`` column stores (a CHECK constraint
allows these and no other); code and templates name states from here, never by text.
"""

from enum import StrEnum
from typing import ClassVar


class RequestStatus(StrEnum):
    """The state of an access request; each member's value is its stored text."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by the requester, or by a departure

    DECIDED: ClassVar[frozenset["RequestStatus"]]  # an administrator approved or declined it

    @property
    def label(self) -> str:
        """Return the state in words, as pages show it."""
        return STATUS_LABELS[self]


RequestStatus.DECIDED = frozenset({RequestStatus.APPROVED, RequestStatus.DECLINED})

STATUS_LABELS: dict[RequestStatus, str] = {
    RequestStatus.PENDING: "Waiting for a decision",
    RequestStatus.APPROVED: "Approved",
    RequestStatus.DECLINED: "Declined",
    RequestStatus.WITHDRAWN: "Withdrawn",
}
