"""Audit entries: an index on (site_id, id), so a site's newest entry is one index read.

The newest audit entry id of a site versions its data for cached report figures.

Revision ID: be5c8a6f3b45
Revises: ad4b7f5e2a34
Create Date: 2026-11-22 20:40:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = 'be5c8a6f3b45'
down_revision = 'ad4b7f5e2a34'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_site_id_id', ['site_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_site_id_id')
