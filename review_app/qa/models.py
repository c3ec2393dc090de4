"""QA comment threads anchored to an item (or a question) of a case, or to an interview item."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.core.models import utcnow
from review_app.extensions import Model


class Thread(Model):
    """A QA question or remark about one item (or one question of it), with its replies.

    A thread belongs to a case or to a stakeholder interview, never both; on an
    interview, ``item_id`` is a systemic factor item and ``case_status`` holds
    the interview's status when the thread was opened (its CHECK constraint is
    declared in review_app/interviews/models.py, which knows both kinds of state).
    """

    __tablename__ = "qa_threads"
    __table_args__ = (
        Index("ix_qa_threads_case_open", "case_id", "is_open"),
        CheckConstraint(
            "(case_id IS NULL AND interview_id IS NOT NULL) "
            "OR (case_id IS NOT NULL AND interview_id IS NULL)",
            name="one_subject",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(40))
    question_id: Mapped[str | None] = mapped_column(String(40))
    is_open: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    case_status: Mapped[str] = mapped_column(String(20))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    comments: Mapped[list["Comment"]] = relationship(
        back_populates="thread", order_by="Comment.id", cascade="all, delete-orphan"
    )

    @property
    def anchor(self) -> str:
        return f"q-{self.question_id}" if self.question_id else f"thread-{self.id}"

    def __repr__(self) -> str:
        subject = f"case={self.case_id}" if self.case_id else f"interview={self.interview_id}"
        return f"<Thread {self.id} {subject} {self.item_id}/{self.question_id}>"


class Comment(Model):
    """One message in a thread."""

    __tablename__ = "qa_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("qa_threads.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    thread: Mapped[Thread] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Comment {self.id} of thread {self.thread_id}>"
