"""Audit entries."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.core.models import utcnow
from review_app.extensions import db


class AuditEntry(db.Model):
    """One recorded change (or security event), never edited after it is written."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_site_created", "site_id", "created_at"),
        # The newest entry of a site versions its data for cached report figures.
        Index("ix_audit_entries_site_id_id", "site_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Null actor: the command line or an anonymous request (a failed sign-in).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(80))
    # Null site: a change outside any one site (accounts, jurisdictions).
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(String(300))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        """Return (field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.object_type}:{self.object_id}>"
