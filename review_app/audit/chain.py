"""The hash chains that make the audit log tamper-evident.

Every site has its own chain, and entries outside any site (accounts,
jurisdictions, sign-in) form one more (chain key 0). An entry's ``entry_hash``
is a SHA-256 over a canonical JSON of its fields and ``prev_hash``, the hash of
the entry before it in its chain (``GENESIS`` for the first); ``chain_position``
counts from 1.

Entries are sealed when their transaction commits, not when they are written:
the chain head row (``audit_chain``) is locked (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite lets one writer in at a time anyway) only after every other
change of the transaction is flushed, so the lock is held for the commit alone,
never while the transaction waits for another row (no deadlocks), and a
transaction that rolls back never touched the head: no gap, no fork.

One chain per site rather than one for everything: writers on different sites
never wait for each other, and a jurisdiction leaving (its sites' entries and
chain heads removed after an export) leaves every other chain intact.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from review_app.audit.models import AuditChain, AuditEntry
from review_app.extensions import db

GENESIS = "0" * 64
NO_SITE = 0  # the chain key of entries outside any site
_UNSEALED = "audit_unsealed"


def chain_key(site_id: int | None) -> int:
    return site_id if site_id is not None else NO_SITE


def _timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def canonical(fields: dict[str, Any]) -> bytes:
    """Return ``fields`` as canonical JSON: sorted keys, no spaces, UTF-8."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def hash_fields(entry: Any) -> dict[str, Any]:
    """Return what an entry's hash covers (``entry``: a model or a row with the same names)."""
    return {
        "id": entry.id,
        "created_at": _timestamp(entry.created_at),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "site_id": entry.site_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "summary": entry.summary,
        "before": entry.before,
        "after": entry.after,
        "is_read_event": bool(entry.is_read_event),
        "chain_position": entry.chain_position,
        "prev_hash": entry.prev_hash,
    }


def entry_hash(entry: Any) -> str:
    """Return the SHA-256 (hex) of an entry's fields and the hash before it."""
    return hashlib.sha256(canonical(hash_fields(entry))).hexdigest()


def mark_unsealed(session: Session, entry: AuditEntry) -> None:
    """Note ``entry`` to be sealed when ``session`` commits."""
    session.info.setdefault(_UNSEALED, []).append(entry)


def _locked_head(session: Session, key: int) -> tuple[int, str]:
    """Lock the head of chain ``key`` (made if absent); return its length and last hash."""
    query = (
        select(AuditChain.length, AuditChain.last_hash)
        .where(AuditChain.chain_key == key)
        .with_for_update()
    )
    row = session.execute(query).first()
    if row is None:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(
            dialect.insert(AuditChain)
            .values(chain_key=key, length=0, last_hash=GENESIS)
            .on_conflict_do_nothing()
        )
        row = session.execute(query).one()
    return row.length, row.last_hash


def seal(session: Session) -> None:
    """Link the entries this transaction wrote onto their chains, just before it commits."""
    entries = [
        entry
        for entry in session.info.pop(_UNSEALED, [])
        if entry in session and entry.entry_hash is None
    ]
    if not entries:
        return
    # Every other write first, so no row lock is awaited while the chain is held.
    session.flush()
    entries.sort(key=lambda entry: entry.id)
    keys = sorted({chain_key(entry.site_id) for entry in entries})
    heads = {key: _locked_head(session, key) for key in keys}  # in key order: no deadlock
    for entry in entries:
        length, last = heads[chain_key(entry.site_id)]
        entry.chain_position, entry.prev_hash = length + 1, last
        entry.entry_hash = entry_hash(entry)
        heads[chain_key(entry.site_id)] = (length + 1, entry.entry_hash)
    for key, (length, last) in heads.items():
        session.execute(
            update(AuditChain)
            .where(AuditChain.chain_key == key)
            .values(length=length, last_hash=last)
        )


event.listen(db.session, "before_commit", seal)
