"""Answer key explanations and the scores of trainees' practice cases."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.core.models import utcnow
from review_app.extensions import Model

ITEM_LEVEL = ""  # KeyExplanation.question_id of an explanation of a whole item


class KeyExplanation(Model):
    """Why an answer key answers a question (or rates an item) the way it does."""

    __tablename__ = "key_explanations"
    # An empty question_id (not NULL) keeps one explanation per item unique on every database.
    __table_args__ = (UniqueConstraint("case_id", "item_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(40))
    question_id: Mapped[str] = mapped_column(String(40), default=ITEM_LEVEL)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<KeyExplanation key={self.case_id} {self.item_id}/{self.question_id or '-'}>"


class PracticeScore(Model):
    """One submitted attempt at a practice copy, compared with its answer key."""

    __tablename__ = "practice_scores"
    __table_args__ = (
        UniqueConstraint("copy_id", "attempt"),
        Index("ix_practice_scores_site_trainee", "site_id", "trainee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Training site, kept beside the cases so progress queries filter one column.
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    copy_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    key_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    attempt: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    items_compared: Mapped[int]
    items_agreed: Mapped[int]
    answers_compared: Mapped[int]
    answers_agreed: Mapped[int]
    # items_agreed / items_compared * 100 (0 when none compared)
    item_percent: Mapped[float] = mapped_column(Float)
    pass_percent: Mapped[int]  # the site's pass mark when it was scored
    is_passed: Mapped[bool]

    copy: Mapped[Case] = relationship(foreign_keys=[copy_id])
    key: Mapped[Case] = relationship(foreign_keys=[key_id])
    trainee: Mapped[User] = relationship()
    items: Mapped[list["PracticeScoreItem"]] = relationship(
        back_populates="score", cascade="all, delete-orphan", order_by="PracticeScoreItem.id"
    )

    @property
    def answer_percent(self) -> float:
        return 100 * self.answers_agreed / self.answers_compared if self.answers_compared else 0.0

    def __repr__(self) -> str:
        return f"<PracticeScore copy={self.copy_id} #{self.attempt} {self.item_percent:.1f}%>"


class PracticeScoreItem(Model):
    """One item of a scored attempt: the trainee's rating beside the key's, and what differed."""

    __tablename__ = "practice_score_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(
        ForeignKey("practice_scores.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(40))
    trainee_rating: Mapped[str] = mapped_column(String(20))
    key_rating: Mapped[str] = mapped_column(String(20))
    is_agreed: Mapped[bool]
    answers_compared: Mapped[int]
    answers_agreed: Mapped[int]
    # [{"question_id", "trainee", "key"}] for each answer that differed, as stored then.
    differences: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    key_rationale: Mapped[str] = mapped_column(Text, default="")

    score: Mapped[PracticeScore] = relationship(back_populates="items")

    def __repr__(self) -> str:
        return (
            f"<PracticeScoreItem score={self.score_id} item={self.item_id} "
            f"{self.trainee_rating}/{self.key_rating}>"
        )
