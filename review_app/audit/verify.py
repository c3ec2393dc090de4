"""Recompute the audit log's hash chains and say where each first breaks.

Safe on a live database without a long transaction: each chain's head is read
first, and only the entries it covers are walked, in short batches by place.
An entry and the head that counts it commit together, so every entry the head
counts is visible by then; entries committed later are checked on the next run.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from review_app.audit.chain import GENESIS, NO_SITE, chain_key, entry_hash
from review_app.audit.models import AuditChain, AuditEntry
from review_app.extensions import db

BATCH = 2000
_COLUMNS = [
    AuditEntry.id,
    AuditEntry.created_at,
    AuditEntry.actor_id,
    AuditEntry.actor_name,
    AuditEntry.site_id,
    AuditEntry.action,
    AuditEntry.object_type,
    AuditEntry.object_id,
    AuditEntry.summary,
    AuditEntry.before,
    AuditEntry.after,
    AuditEntry.is_read_event,
    AuditEntry.chain_position,
    AuditEntry.prev_hash,
    AuditEntry.entry_hash,
]


@dataclass(frozen=True)
class BrokenEntry:
    """Where a chain first breaks: the entry (None when there is none to name) and why."""

    chain_key: int
    entry_id: int | None
    created_at: datetime | None
    action: str
    reason: str

    def describe(self) -> str:
        if self.entry_id is None:
            return self.reason
        when = self.created_at.isoformat(sep=" ", timespec="seconds") if self.created_at else "?"
        return f"entry {self.entry_id} ({when}, {self.action}): {self.reason}"


@dataclass
class ChainReport:
    """The outcome of recomputing every chain of the audit log."""

    entries: int = 0
    chains: int = 0
    broken: list[BrokenEntry] = field(default_factory=list)  # the first break of each chain
    heads: dict[int, str] = field(default_factory=dict)  # chain key -> hash of its last entry

    @property
    def is_intact(self) -> bool:
        return not self.broken

    @property
    def first_broken(self) -> BrokenEntry | None:
        """Return the earliest break over all chains."""
        return min(
            self.broken,
            key=lambda b: (b.created_at or datetime.max, b.entry_id or 0),
            default=None,
        )


def _in_chain(key: int):
    return AuditEntry.site_id.is_(None) if key == NO_SITE else AuditEntry.site_id == key


def _head(key: int) -> tuple[int, str] | None:
    row = db.session.execute(
        select(AuditChain.length, AuditChain.last_hash).where(AuditChain.chain_key == key)
    ).first()
    return (row.length, row.last_hash) if row else None


def _rows(key: int, length: int) -> Iterator:
    """Yield the entries the head counts, by place, then any never sealed."""
    after = 0
    while after < length:
        batch = db.session.execute(
            select(*_COLUMNS)
            .where(
                _in_chain(key),
                AuditEntry.chain_position > after,
                AuditEntry.chain_position <= length,
            )
            .order_by(AuditEntry.chain_position, AuditEntry.id)
            .limit(BATCH)
        ).all()
        if not batch:
            break
        yield from batch
        after = batch[-1].chain_position
        if len(batch) < BATCH:
            break
    yield from db.session.execute(
        select(*_COLUMNS)
        .where(_in_chain(key), AuditEntry.chain_position.is_(None))
        .order_by(AuditEntry.id)
    )


def _reason(row, expected: int, last: str) -> str | None:
    if row.entry_hash is None or row.chain_position is None:
        return "it was never sealed into the chain (written around the application?)"
    if entry_hash(row) != row.entry_hash:
        return "its content or place does not match its hash (it was changed)"
    if row.chain_position > expected:
        return "the entry before it in the chain is missing (removed)"
    if row.chain_position < expected or row.prev_hash != last:
        return "it does not follow the entry before it (an entry was removed, moved or added)"
    return None


def _broken(key: int, row, reason: str) -> BrokenEntry:
    if row is None:
        return BrokenEntry(key, None, None, "", reason)
    return BrokenEntry(key, row.id, row.created_at, row.action, reason)


def _verify_one(key: int, report: ChainReport) -> BrokenEntry | None:
    head = _head(key)
    length, head_hash = head or (0, GENESIS)
    expected, last, previous, found = 1, GENESIS, None, None
    for row in _rows(key, length):
        report.entries += 1
        if found is None and (reason := _reason(row, expected, last)):
            found = _broken(key, row, reason)
        expected, last, previous = expected + 1, row.entry_hash, row
    if found:
        return found
    if head is None and previous is not None:
        return _broken(key, previous, "the chain's head record is missing")
    if length != expected - 1 or head_hash != last:
        return _broken(
            key,
            previous,
            f"the chain should hold {length} entries but ends here, after {expected - 1}"
            " (the entries after it were removed)",
        )
    # Entries past the head: committed since it was read, or added around the application.
    beyond = select(func.max(AuditEntry.chain_position)).where(
        _in_chain(key), AuditEntry.chain_position > length
    )
    newest = db.session.scalar(beyond)
    now = _head(key)
    if newest is not None and (now is None or newest > now[0]):
        row = db.session.execute(
            select(*_COLUMNS)
            .where(_in_chain(key), AuditEntry.chain_position > (now[0] if now else 0))
            .order_by(AuditEntry.chain_position)
            .limit(1)
        ).first()
        return _broken(key, row, "it lies past the chain's head (added around the application)")
    report.heads[key] = last
    return None


def verify_chain() -> ChainReport:
    """Recompute every chain of the audit log; return its size and where each first breaks.

    Used by ``flask audit verify`` and by backup and restore checks.
    """
    report = ChainReport()
    keys = set(db.session.scalars(select(AuditChain.chain_key)))
    keys |= {
        chain_key(site_id) for site_id in db.session.scalars(select(AuditEntry.site_id).distinct())
    }
    for key in sorted(keys):
        report.chains += 1
        if broken := _verify_one(key, report):
            report.broken.append(broken)
    return report
