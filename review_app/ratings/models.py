"""Answers, item reviews and outcome ratings of a case."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.cases.states import CaseStatus
from review_app.core.models import state_type, utcnow
from review_app.extensions import Model

FACE_SHEET = "face"  # the item id under which face sheet edits are versioned


class Answer(Model):
    """One question's answer on a case, with its narrative where one is needed."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("case_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    narrative: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<Answer case={self.case_id} {self.question_id}={self.value!r}>"


class ItemReview(Model):
    """An item of a case: its calculated rating, the rationale, and an edit counter.

    ``lock_version`` grows with every save, so two reviewers saving the same
    item from the same starting point cannot overwrite each other.
    """

    __tablename__ = "item_reviews"
    __table_args__ = (UniqueConstraint("case_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(40))
    rating: Mapped[str] = mapped_column(String(20), default="incomplete")
    rationale: Mapped[str] = mapped_column(Text, default="")
    lock_version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A QA override; the calculated rating above is kept beside it.
    override_rating: Mapped[str | None] = mapped_column(String(20))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    override_at: Mapped[datetime | None]

    @hybrid_property
    def effective_rating(self) -> str:
        """Return the rating that counts: the override where there is one."""
        return self.override_rating or self.rating

    @effective_rating.inplace.expression
    @classmethod
    def _effective_rating_expression(cls) -> ColumnElement[str]:
        return func.coalesce(cls.override_rating, cls.rating)

    def __repr__(self) -> str:
        return f"<ItemReview case={self.case_id} item={self.item_id} {self.rating}>"


class SubitemRating(Model):
    """A sub-item's calculated rating on a case (12A, 12B, 12C), kept for reports.

    Written with the item's rating whenever the case is rated again. A QA override
    changes the item's rating, not its sub-items'.
    """

    __tablename__ = "subitem_ratings"
    __table_args__ = (UniqueConstraint("case_id", "subitem_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(40))
    subitem_id: Mapped[str] = mapped_column(String(40))
    rating: Mapped[str] = mapped_column(String(20), default="incomplete")

    def __repr__(self) -> str:
        return f"<SubitemRating case={self.case_id} {self.subitem_id}={self.rating}>"


class OutcomeRating(Model):
    """An outcome's calculated rating on a case, kept for reports."""

    __tablename__ = "outcome_ratings"
    __table_args__ = (UniqueConstraint("case_id", "outcome_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    outcome_id: Mapped[str] = mapped_column(String(40))
    rating: Mapped[str] = mapped_column(String(30), default="incomplete")

    def __repr__(self) -> str:
        return f"<OutcomeRating case={self.case_id} {self.outcome_id}={self.rating}>"


class RatingChange(Model):
    """One change to an item of a case: an answer, narrative, rationale, rating or override."""

    __tablename__ = "rating_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(60))  # a question id, "rationale", "rating" ...
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(80))
    case_status: Mapped[CaseStatus] = mapped_column(state_type(CaseStatus, "case_status"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()

    @property
    def actor_display(self) -> str:
        """Who made the change, by full name (the recorded username when unknown)."""
        return self.actor.display_name if self.actor else self.actor_name

    def __repr__(self) -> str:
        return f"<RatingChange case={self.case_id} {self.item_id}.{self.field}>"


class SubmittedRating(Model):
    """An item's rating as the reviewers first submitted it, kept to measure agreement.

    Written once, at the case's first submission for QA; the final rating is
    the item review's effective rating once the case is finalized.
    """

    __tablename__ = "submitted_ratings"
    __table_args__ = (UniqueConstraint("case_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(40))
    rating: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who submitted it: agreement credits them, whoever holds the case after a caseload
    # move. Null only for ratings kept before this was recorded with no audit entry naming them.
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    def __repr__(self) -> str:
        return f"<SubmittedRating case={self.case_id} item={self.item_id} {self.rating}>"
