"""Form keys: each create form's key once used, so a form sent twice creates one thing.

Revision ID: 317b23827536
Revises: 9f9020abdb6e
Create Date: 2026-12-01 14:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '317b23827536'
down_revision = '9f9020abdb6e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_keys')),
    sa.UniqueConstraint('key', name=op.f('uq_form_keys_key'))
    )
    with op.batch_alter_table('form_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_keys_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_keys_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('form_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_keys_user_id'))
        batch_op.drop_index(batch_op.f('ix_form_keys_created_at'))
    op.drop_table('form_keys')
