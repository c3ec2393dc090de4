"""A form's posted fields kept for the one user who sent them, until restored or expired."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from review_app.core.models import utcnow
from review_app.extensions import Model


class FormDraft(Model):
    """Fields posted to ``action`` from the form on ``page``, shown again to ``user_id`` only.

    Kept when the form could not be taken (the session had ended, the form's
    token expired, or the change was refused because the case moved on meanwhile);
    restored on ``page`` (after the user signs in), with ``notice`` if set, then deleted.
    Password fields and the CSRF token are never kept.
    """

    __tablename__ = "form_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    page: Mapped[str] = mapped_column(String(500))
    action: Mapped[str] = mapped_column(String(500))
    fields: Mapped[list[list[str]]] = mapped_column(JSON)  # [name, value] pairs, in order
    # What to tell the person when the draft comes back; empty: "your form had expired".
    notice: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<FormDraft {self.id} of user {self.user_id} for {self.page}>"
