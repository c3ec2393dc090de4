"""Saved analyses: a cross-tabulation of two questions with its filters, by name, per
person and site.

Revision ID: 8d2f4a6c1e93
Revises: 8e2d4c6a1f37
Create Date: 2026-12-05 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8d2f4a6c1e93'
down_revision = '8e2d4c6a1f37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_analyses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['owner_id'], ['users.id'], name=op.f('fk_saved_analyses_owner_id_users')
        ),
        sa.ForeignKeyConstraint(
            ['site_id'], ['sites.id'], name=op.f('fk_saved_analyses_site_id_sites')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_analyses')),
        sa.UniqueConstraint(
            'site_id', 'owner_id', 'name', name=op.f('uq_saved_analyses_site_id_owner_id_name')
        ),
    )
    with op.batch_alter_table('saved_analyses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_analyses_site_id'), ['site_id'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_analyses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_analyses_site_id'))
    op.drop_table('saved_analyses')
