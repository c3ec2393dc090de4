"""Who submitted a case's first ratings, so agreement credits them after a caseload move.

Adds ``submitted_ratings.submitted_by_id`` and fills it from the audit log: the
actor of the case's first "case.submit" entry. Ratings whose submission no
entry names keep a null; the agreement report then credits the case's
reviewers, as before.

Revision ID: 8d2f4b6a1c3e
Revises: 3f6b1c9e2a7d
Create Date: 2026-12-05 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8d2f4b6a1c3e'
down_revision = '3f6b1c9e2a7d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submitted_ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_submitted_ratings_submitted_by_id'), ['submitted_by_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_submitted_ratings_submitted_by_id_users'),
            'users',
            ['submitted_by_id'],
            ['id'],
        )
    op.execute(
        """
        UPDATE submitted_ratings SET submitted_by_id = (
            SELECT audit_entries.actor_id FROM audit_entries
            WHERE audit_entries.action = 'case.submit'
              AND audit_entries.object_type = 'Case'
              AND audit_entries.object_id = submitted_ratings.case_id
            ORDER BY audit_entries.id
            LIMIT 1
        )
        """
    )


def downgrade():
    with op.batch_alter_table('submitted_ratings', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_submitted_ratings_submitted_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_submitted_ratings_submitted_by_id'))
        batch_op.drop_column('submitted_by_id')
