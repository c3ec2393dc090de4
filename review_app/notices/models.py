"""Notices, each person's email preference per site, and the digests sent."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from review_app.core.models import state_type, utcnow
from review_app.extensions import Model
from review_app.notices.states import DEFAULT_DELIVERY, Delivery, NoticeKind


class Notice(Model):
    """One thing a person is told on one site: the event in words, with a link.

    ``message`` names the case by its number, never the child. ``emailed_at`` is
    set when the notice went out by email (at once or in a digest).
    """

    __tablename__ = "notices"
    __table_args__ = (
        Index("ix_notices_recipient_site_read", "recipient_id", "site_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NoticeKind] = mapped_column(state_type(NoticeKind, "kind"))
    message: Mapped[str] = mapped_column(String(300))
    # A path inside the app (e.g. the case's page), where opening the notice leads.
    link: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.kind} to user {self.recipient_id}>"


class NoticePreference(Model):
    """How one person wants to be emailed about one site's notices (absent: the default)."""

    __tablename__ = "notice_preferences"
    __table_args__ = (UniqueConstraint("user_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    delivery: Mapped[Delivery] = mapped_column(
        state_type(Delivery, "delivery"), default=DEFAULT_DELIVERY
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<NoticePreference user={self.user_id} site={self.site_id} {self.delivery}>"


class DigestSent(Model):
    """A daily digest sent to one person about one site on one day: at most one each."""

    __tablename__ = "notice_digests"
    __table_args__ = (UniqueConstraint("user_id", "site_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    sent_on: Mapped[date]
    notice_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<DigestSent user={self.user_id} site={self.site_id} on {self.sent_on}>"


class DailyRun(Model):
    """The day's run of reminders and digests, taken by one worker: at most one a day."""

    __tablename__ = "notice_daily_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_on: Mapped[date] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
