"""A job: work the queue does for one person on one site, its progress and its result."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.core.models import state_type, utcnow
from review_app.extensions import Model
from review_app.jobs.states import JobStatus
from review_app.sites.models import Site

# The params key of the local sites the person reached when the job was (re)started
# (None: the whole site): its file is given out only while they still reach them all.
REACH = "reach"


class Job(Model):
    """One piece of background work (a period's PDF ...) started by a person on a site.

    ``active_key`` holds the job's ``dedupe_key`` while it is queued or running and
    is emptied when it finishes: its unique index makes the same job started twice
    (a double click) one job. ``attempt`` grows with each retry, so the parts of an
    earlier attempt still on the queue change nothing.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        state_type(JobStatus, "status"), default=JobStatus.QUEUED
    )
    dedupe_key: Mapped[str] = mapped_column(String(200))
    active_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    attempt: Mapped[int] = mapped_column(default=1)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    unit: Mapped[str] = mapped_column(String(40), default="cases")
    parts_left: Mapped[int] = mapped_column(default=0)
    worker_host: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(Text)
    result_path: Mapped[str | None] = mapped_column(String(300))
    download_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None] = mapped_column(index=True)

    user: Mapped[User] = relationship()
    site: Mapped[Site] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in JobStatus.ACTIVE

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()

    @property
    def has_download(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.result_path) and not self.is_expired

    @property
    def problems(self) -> list[str]:
        """Return what the work refused, one line each (an import's bad rows), if anything."""
        found = (self.params or {}).get("problems") if self.status == JobStatus.FAILED else None
        return [str(line) for line in found] if isinstance(found, list) else []

    @property
    def outcomes(self) -> list[tuple[str, str]]:
        """Return what became of each row of a finished import: (who or what, in words)."""
        found = (self.params or {}).get("outcomes") if self.status == JobStatus.DONE else None
        if not isinstance(found, list):
            return []
        return [(str(pair[0]), str(pair[1])) for pair in found if len(pair) == 2]

    @property
    def progress_words(self) -> str:
        """Return the progress as a person says it: '12 of 202 cases'."""
        if not self.total:
            return "Counting the work" if self.is_active else f"0 {self.unit}"
        return f"{self.done} of {self.total} {self.unit}"

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status} of user {self.user_id}>"
