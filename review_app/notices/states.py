"""What a notice is about, and how a person wants to be emailed on a site.

The values are what the ``notices.kind`` and ``notice_preferences.delivery``
columns store (CHECK constraints allow these and no other).
"""

from enum import StrEnum


class NoticeKind(StrEnum):
    """Why a person was told something; each member's value is its stored text."""

    CASE_RETURNED = "case_returned"  # QA returned a case I review
    NEW_COMMENT = "new_comment"  # a comment on my case, or on a case I hold for QA
    QUEUE_ARRIVAL = "queue_arrival"  # a case joined a QA queue I work
    CASE_ASSIGNED = "case_assigned"  # a case was assigned or moved to me, or taken off me
    MERGE_WAITING = "merge_waiting"  # every note-taker is done: the merge is mine
    QA_WAITING = "qa_waiting"  # reminder: cases waiting too long in my QA queue
    PERIOD_CLOSING = "period_closing"  # reminder: a period ends soon with unfinished cases
    JOB_DONE = "job_done"  # a background job of mine finished or failed
    ACCESS_REQUEST = "access_request"  # someone asks for access I may decide on
    DEPARTURE = "departure"  # another administrator removed someone's access to my site

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[NoticeKind, str] = {
    NoticeKind.CASE_RETURNED: "Case returned",
    NoticeKind.NEW_COMMENT: "New comment",
    NoticeKind.QUEUE_ARRIVAL: "Case waiting for QA",
    NoticeKind.CASE_ASSIGNED: "Case assigned",
    NoticeKind.MERGE_WAITING: "Notes ready to merge",
    NoticeKind.QA_WAITING: "Reminder: cases waiting for QA",
    NoticeKind.PERIOD_CLOSING: "Reminder: review period ending",
    NoticeKind.JOB_DONE: "Background work",
    NoticeKind.ACCESS_REQUEST: "Access request",
    NoticeKind.DEPARTURE: "Departure",
}


class Delivery(StrEnum):
    """How a person is emailed about a site's notices."""

    AT_ONCE = "at_once"
    DAILY = "daily"
    NEVER = "never"

    @property
    def label(self) -> str:
        return DELIVERY_LABELS[self]


DELIVERY_LABELS: dict[Delivery, str] = {
    Delivery.AT_ONCE: "At once: one email for each notification",
    Delivery.DAILY: "A daily digest: one email a day with the unread notifications",
    Delivery.NEVER: "Never: only in the app",
}

# Nobody chose yet: one email a day, so nothing is missed and nobody is flooded.
DEFAULT_DELIVERY = Delivery.DAILY
