"""Form drafts: what a person typed into a form sent after their session ended, kept for a day.

Revision ID: 9f9020abdb6e
Revises: 3f7c1a9e5b20
Create Date: 2026-12-01 14:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9f9020abdb6e'
down_revision = '3f7c1a9e5b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.String(length=500), nullable=False),
    sa.Column('action', sa.String(length=500), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('notice', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_drafts'))
    )
    with op.batch_alter_table('form_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_drafts_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_drafts_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('form_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_drafts_expires_at'))
        batch_op.drop_index(batch_op.f('ix_form_drafts_user_id'))
    op.drop_table('form_drafts')
