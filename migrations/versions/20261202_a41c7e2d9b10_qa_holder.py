"""QA ownership: the QA person who holds a case at its current QA level.

Adds ``cases.qa_holder_id`` (nullable; no holder means the case waits in its
queue for anyone at the level to take it).

Revision ID: a41c7e2d9b10
Revises: 0bec28b9b7c3
Create Date: 2026-12-02 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a41c7e2d9b10'
down_revision = '0bec28b9b7c3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qa_holder_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_qa_holder_id'), ['qa_holder_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_cases_qa_holder_id_users'), 'users', ['qa_holder_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_qa_holder_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_qa_holder_id'))
        batch_op.drop_column('qa_holder_id')
