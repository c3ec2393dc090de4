"""Systemic factor ratings per review period, citing the interviews behind them."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.core.models import utcnow
from review_app.extensions import Model, db
from review_app.interviews.models import Interview
from review_app.periods.models import ReviewPeriod

RATING_LABELS = {"strength": "Strength", "ani": "Area Needing Improvement"}

systemic_rating_interviews = Table(
    "systemic_rating_interviews",
    db.metadata,
    Column("rating_id", ForeignKey("systemic_ratings.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "interview_id",
        ForeignKey("interviews.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class SystemicRating(Model):
    """A systemic factor item rated Strength or ANI for a period, with its rationale.

    ``lock_version`` grows with every save, so two raters saving from the same
    starting point cannot overwrite each other.
    """

    __tablename__ = "systemic_ratings"
    __table_args__ = (
        UniqueConstraint("period_id", "item_id"),
        CheckConstraint("rating IN ('strength', 'ani')", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("review_periods.id"))
    item_id: Mapped[str] = mapped_column(String(40))
    rating: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text)
    rated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)
    lock_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    period: Mapped[ReviewPeriod] = relationship()
    rated_by: Mapped[User] = relationship()
    interviews: Mapped[list[Interview]] = relationship(
        secondary=systemic_rating_interviews, order_by=(Interview.held_on, Interview.id)
    )

    def __repr__(self) -> str:
        return f"<SystemicRating period={self.period_id} item={self.item_id} {self.rating}>"
