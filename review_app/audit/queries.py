"""Reads of the audit log."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select

from review_app.audit.chain import GENESIS, NO_SITE, chain_key, entry_hash
from review_app.audit.models import AuditChain, AuditEntry
from review_app.extensions import db


@dataclass
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    since: date | None = None
    until: date | None = None


def _filtered(statement: Select, filters: AuditFilters) -> Select:
    if filters.actor:
        statement = statement.where(func.lower(AuditEntry.actor_name) == filters.actor.lower())
    if filters.action:
        statement = statement.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.object_type:
        statement = statement.where(AuditEntry.object_type == filters.object_type)
    if filters.since:
        statement = statement.where(AuditEntry.created_at >= filters.since)
    if filters.until and filters.until < date.max:  # date.max: no day after it to stop at
        statement = statement.where(AuditEntry.created_at < filters.until + timedelta(days=1))
    return statement


def entries(
    site_id: int | None, filters: AuditFilters, page: int, per_page: int
) -> tuple[list[AuditEntry], int]:
    """Return one page of a site's entries, newest first (site_id None: outside any site)."""
    statement = _filtered(
        select(AuditEntry).where(
            AuditEntry.site_id.is_(site_id) if site_id is None else AuditEntry.site_id == site_id
        ),
        filters,
    )
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.scalars(
        statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def action_names(site_id: int | None) -> list[str]:
    """Return the distinct actions recorded, for the filter list."""
    column = AuditEntry.site_id
    where = column.is_(None) if site_id is None else column == site_id
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(where).distinct().order_by(AuditEntry.action)
        )
    )


@dataclass(frozen=True)
class BrokenEntry:
    """Where a chain first breaks: the entry (None when the chain is empty) and why."""

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


_CHAIN_COLUMNS = [
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


def _first_break(rows, head: tuple[int, str] | None, key: int, report: ChainReport):
    """Walk one chain's rows in order; return its first break, or None."""
    expected, last, previous = 1, GENESIS, None
    found = None
    for row in rows:
        report.entries += 1
        if found is not None:
            continue  # keep counting; only the first break is named
        reason = None
        if row.entry_hash is None or row.chain_position is None:
            reason = "it was never sealed into the chain (written outside the application?)"
        elif entry_hash(row) != row.entry_hash:
            reason = "its content or place does not match its hash (it was changed)"
        elif row.chain_position > expected:
            reason = "the entry before it in the chain is missing (removed)"
        elif row.chain_position < expected or row.prev_hash != last:
            reason = "it does not follow the entry before it (an entry was removed, moved or added)"
        if reason:
            found = BrokenEntry(key, row.id, row.created_at, row.action, reason)
        expected, last, previous = expected + 1, row.entry_hash, row
    if found is not None:
        return found
    length, head_hash = head if head else (0, GENESIS)
    if head is None and previous is not None:
        reason = "the chain's head record is missing"
    elif length != expected - 1 or head_hash != last:
        reason = f"the chain should hold {length} entries but ends here with {expected - 1}"
        reason += " (entries after it were removed)" if length > expected - 1 else ""
    else:
        report.heads[key] = last
        return None
    if previous is None:
        return BrokenEntry(key, None, None, "", f"chain {key}: {reason}")
    return BrokenEntry(key, previous.id, previous.created_at, previous.action, reason)


def verify_chain() -> ChainReport:
    """Recompute every chain of the audit log and return where each first breaks, if anywhere.

    Reads the rows as they are committed, in a constant amount of memory. Used by
    ``flask audit verify`` and by the backup and restore checks.
    """
    report = ChainReport()
    heads = {
        row.chain_key: (row.length, row.last_hash)
        for row in db.session.execute(
            select(AuditChain.chain_key, AuditChain.length, AuditChain.last_hash)
        )
    }
    site_ids = db.session.scalars(select(AuditEntry.site_id).distinct())
    keys = sorted(set(heads) | {chain_key(site_id) for site_id in site_ids})
    for key in keys:
        report.chains += 1
        where = AuditEntry.site_id.is_(None) if key == NO_SITE else AuditEntry.site_id == key
        rows = db.session.execute(
            select(*_CHAIN_COLUMNS)
            .where(where)
            .order_by(AuditEntry.chain_position.is_(None), AuditEntry.chain_position, AuditEntry.id)
            .execution_options(yield_per=2000)
        )
        broken = _first_break(rows, heads.get(key), key, report)
        if broken:
            report.broken.append(broken)
    return report
