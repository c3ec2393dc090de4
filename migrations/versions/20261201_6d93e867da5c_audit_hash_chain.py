"""Audit log: a hash chain per site, and reads of case data marked apart from changes.

Adds ``is_read_event`` (downloads and API reads, left out of the site version),
``chain_position``, ``prev_hash`` and ``entry_hash`` to audit entries, and the
``audit_chain`` table of chain heads; then seals every existing entry, in id
order within its site's chain, so a fresh upgrade verifies.

Revision ID: 6d93e867da5c
Revises: 317b23827536
Create Date: 2026-12-01 14:40:00

"""

import hashlib
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6d93e867da5c'
down_revision = '317b23827536'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
FIELDS = (
    "id", "created_at", "actor_id", "actor_name", "site_id", "action", "object_type",
    "object_id", "summary", "before", "after",
)
entries = sa.table(
    'audit_entries',
    sa.column('id', sa.Integer),
    sa.column('created_at', sa.DateTime),
    sa.column('actor_id', sa.Integer),
    sa.column('actor_name', sa.String),
    sa.column('site_id', sa.Integer),
    sa.column('action', sa.String),
    sa.column('object_type', sa.String),
    sa.column('object_id', sa.Integer),
    sa.column('summary', sa.String),
    sa.column('before', sa.JSON),
    sa.column('after', sa.JSON),
    sa.column('chain_position', sa.Integer),
    sa.column('prev_hash', sa.String),
    sa.column('entry_hash', sa.String),
)
chain = sa.table(
    'audit_chain',
    sa.column('chain_key', sa.Integer),
    sa.column('length', sa.Integer),
    sa.column('last_hash', sa.String),
)


def _entry_hash(fields: dict) -> str:
    """A frozen copy of review_app.audit.chain.entry_hash as of this revision."""
    created = fields["created_at"]
    if created is not None and created.tzinfo is not None:
        created = created.astimezone(UTC).replace(tzinfo=None)
    fields = {
        **fields,
        "created_at": created.isoformat(timespec="microseconds") if created else None,
        "is_read_event": False,
    }
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _seal_existing() -> None:
    connection = op.get_bind()
    heads: dict[int, tuple[int, str]] = {}
    columns = [entries.c[name] for name in FIELDS]
    rows = connection.execute(sa.select(*columns).order_by(entries.c.id))
    sealed = []
    for row in rows.mappings().all():
        key = row["site_id"] if row["site_id"] is not None else 0
        length, last = heads.get(key, (0, GENESIS))
        fields = {**row, "chain_position": length + 1, "prev_hash": last}
        digest = _entry_hash(fields)
        sealed.append({"b_id": row["id"], "position": length + 1, "prev": last, "digest": digest})
        heads[key] = (length + 1, digest)
    if sealed:
        connection.execute(
            entries.update()
            .where(entries.c.id == sa.bindparam("b_id"))
            .values(
                chain_position=sa.bindparam("position"),
                prev_hash=sa.bindparam("prev"),
                entry_hash=sa.bindparam("digest"),
            ),
            sealed,
        )
    if heads:
        connection.execute(
            chain.insert(),
            [{"chain_key": k, "length": n, "last_hash": h} for k, (n, h) in heads.items()],
        )


def upgrade():
    op.create_table('audit_chain',
    sa.Column('chain_key', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain_key', name=op.f('pk_audit_chain'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_read_event', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column('chain_position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('entry_hash', sa.String(length=64), nullable=True))
        batch_op.drop_index('ix_audit_entries_site_id_id')
        batch_op.create_index(
            'ix_audit_entries_site_read_id', ['site_id', 'is_read_event', 'id'], unique=False
        )
        batch_op.create_index(
            'ix_audit_entries_site_chain', ['site_id', 'chain_position'], unique=False
        )
    _seal_existing()


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_site_chain')
        batch_op.drop_index('ix_audit_entries_site_read_id')
        batch_op.create_index('ix_audit_entries_site_id_id', ['site_id', 'id'], unique=False)
        batch_op.drop_column('entry_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('chain_position')
        batch_op.drop_column('is_read_event')
    op.drop_table('audit_chain')
