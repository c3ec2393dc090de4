"""Stakeholder interviews, their note-takers and each note-taker's notes."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    column,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.cases.states import CaseStatus
from review_app.core.models import state_type, utcnow
from review_app.extensions import Model, db
from review_app.interviews.states import STATUS_LABELS, InterviewStatus
from review_app.periods.models import ReviewPeriod
from review_app.qa.models import Thread
from review_app.sites.models import LocalSite

# The supporting note-takers; the official one is a column of the interview.
interview_note_takers = Table(
    "interview_note_takers",
    db.metadata,
    Column("interview_id", ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class Interview(Model):
    """An interview with stakeholders (by type, never by name) about the systemic factors.

    Each note-taker writes their own notes; the official note-taker merges them
    into the final set, edits it and marks the interview complete.
    """

    __tablename__ = "interviews"
    __table_args__ = (Index("ix_interviews_site_period", "site_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("review_periods.id"))
    local_site_id: Mapped[int] = mapped_column(ForeignKey("local_sites.id"), index=True)
    held_on: Mapped[date]
    # A short description such as "Focus group with foster parents"; no names.
    title: Mapped[str] = mapped_column(String(120), default="")
    # Codes from the period's instrument version (``stakeholder_types``).
    stakeholder_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    official_note_taker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[InterviewStatus] = mapped_column(
        state_type(InterviewStatus, "status"), default=InterviewStatus.DRAFT
    )
    # Bumped by every status change and the merge, so two people acting at once cannot both win.
    status_version: Mapped[int] = mapped_column(default=0)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    merged_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    # Why QA last returned the complete interview to draft; cleared when completed again.
    return_reason: Mapped[str] = mapped_column(String(1000), default="")

    period: Mapped[ReviewPeriod] = relationship()
    local_site: Mapped[LocalSite] = relationship()
    interviewer: Mapped[User] = relationship(foreign_keys=[interviewer_id])
    official_note_taker: Mapped[User] = relationship(foreign_keys=[official_note_taker_id])
    supporting_note_takers: Mapped[list[User]] = relationship(
        secondary=interview_note_takers, order_by=User.display_name
    )
    note_sets: Mapped[list["NoteSet"]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", order_by="NoteSet.id"
    )

    @property
    def note_takers(self) -> list[User]:
        """Return the official note-taker first, then the supporting ones."""
        return [self.official_note_taker, *self.supporting_note_takers]

    @property
    def participant_ids(self) -> set[int]:
        return {self.interviewer_id, *(user.id for user in self.note_takers)}

    @property
    def is_merged(self) -> bool:
        return self.merged_at is not None

    @property
    def final_notes(self) -> "NoteSet | None":
        return next((s for s in self.note_sets if s.author_id is None), None)

    def notes_of(self, user_id: int) -> "NoteSet | None":
        return next((s for s in self.note_sets if s.author_id == user_id), None)

    @property
    def still_writing(self) -> list[str]:
        """Return the names of the supporting note-takers not yet done writing."""
        return [
            user.display_name
            for user in self.supporting_note_takers
            if not ((notes := self.notes_of(user.id)) and notes.is_done)
        ]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def stage(self) -> str:
        """Say in words where the interview stands, beyond draft or complete."""
        if self.status == InterviewStatus.COMPLETE:
            return STATUS_LABELS[InterviewStatus.COMPLETE]
        if self.is_merged:
            return "Draft: notes merged, the official note-taker is finishing them"
        done = sum(1 for s in self.note_sets if s.author_id is not None and s.is_done)
        return f"Draft: {done} of {len(self.note_takers)} note-takers done writing"

    def __repr__(self) -> str:
        return f"<Interview {self.id} of period {self.period_id} on {self.held_on}>"


class NoteSet(Model):
    """One note-taker's notes on an interview, a text per systemic item.

    The set with no author is the merged final set, which the official
    note-taker edits. ``lock_version`` grows with every save, so two saves
    from the same starting point cannot overwrite each other.
    """

    __tablename__ = "interview_note_sets"
    __table_args__ = (UniqueConstraint("interview_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Systemic item id -> text.
    texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    is_done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]
    lock_version: Mapped[int] = mapped_column(default=0)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    interview: Mapped[Interview] = relationship(back_populates="note_sets")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def is_final(self) -> bool:
        return self.author_id is None

    @property
    def written(self) -> int:
        """Return the number of items with some text."""
        return sum(1 for text in self.texts.values() if text.strip())

    def __repr__(self) -> str:
        who = "final" if self.is_final else f"author={self.author_id}"
        return f"<NoteSet interview={self.interview_id} {who}>"


# A QA thread records its subject's status when it was opened: a case's or an interview's.
# Declared here, where both kinds of state are known, so the QA models need not import these.
db.metadata.tables[Thread.__tablename__].append_constraint(
    CheckConstraint(
        column("case_status").in_([state.value for state in (*CaseStatus, *InterviewStatus)]),
        name="case_status",
    )
)
