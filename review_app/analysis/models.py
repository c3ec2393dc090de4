"""Analyses saved by name, to run again later with the data as it then stands."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.core.models import utcnow
from review_app.extensions import Model


class SavedAnalysis(Model):
    """A cross-tabulation of two questions with its filters, saved by a person on a site.

    ``params`` are the page's query arguments (rows, columns, period or window,
    filters): running it again opens the page with them, so a question that has
    left the instrument since is named on the page, not failed on.
    """

    __tablename__ = "saved_analyses"
    __table_args__ = (UniqueConstraint("site_id", "owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(80))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<SavedAnalysis {self.name!r} of user {self.owner_id} on site {self.site_id}>"
