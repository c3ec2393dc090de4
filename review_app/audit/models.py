"""Audit entries, and the head of each hash chain that links them."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.core.models import utcnow
from review_app.extensions import Model

if TYPE_CHECKING:  # audit sits below accounts and sites: the models are named, not imported
    from review_app.accounts.models import User
    from review_app.sites.models import Site


class AuditEntry(Model):
    """One recorded change, security event or read of case data; never edited once written.

    Each entry is sealed when its transaction commits (review_app/audit/chain.py):
    ``entry_hash`` is a SHA-256 over its fields and ``prev_hash``, the hash of the
    entry before it in its site's chain, so a changed, removed or reordered entry
    breaks the chain at that place.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_site_created", "site_id", "created_at"),
        # The newest change of a site (reads left out) versions its data for kept pages
        # and figures: one index read.
        Index("ix_audit_entries_site_read_id", "site_id", "is_read_event", "id"),
        # Verification walks each site's chain in order.
        Index("ix_audit_entries_site_chain", "site_id", "chain_position"),
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
    # A download or API read of case data: it changes nothing, so it does not
    # move the site's version (kept pages stay valid).
    is_read_event: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set when the transaction commits; null only before then.
    chain_position: Mapped[int | None]
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped["User | None"] = relationship()
    site: Mapped["Site | None"] = relationship()

    @property
    def actor_display(self) -> str:
        """Who did it, by full name (the recorded username when the account is gone)."""
        return self.actor.display_name if self.actor else self.actor_name

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        """Return (field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.object_type}:{self.object_id}>"


class AuditChain(Model):
    """The head of one chain of audit entries: one per site, and one for entries of no site.

    Its row is locked while a transaction appends, so appends to one chain are
    serialized and each entry links to the one committed before it.
    """

    __tablename__ = "audit_chain"

    # The site's id, or 0 for the chain of entries outside any site. No foreign
    # key: a site's chain head is removed with the site's entries.
    chain_key: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    length: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditChain {self.chain_key}: {self.length} entries>"
