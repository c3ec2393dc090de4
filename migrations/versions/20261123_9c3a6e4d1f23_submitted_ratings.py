"""Submitted ratings: each item's rating at a case's first submission, for agreement figures.

Cases submitted before this migration get their calculated ratings of today as
the best estimate of what was submitted.

Revision ID: 9c3a6e4d1f23
Revises: 8b2f5d3c0e12
Create Date: 2026-11-22 19:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9c3a6e4d1f23'
down_revision = '8b2f5d3c0e12'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('submitted_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('rating', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_submitted_ratings_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submitted_ratings')),
    sa.UniqueConstraint('case_id', 'item_id', name=op.f('uq_submitted_ratings_case_id_item_id'))
    )
    op.execute(
        "INSERT INTO submitted_ratings (case_id, item_id, rating, submitted_at) "
        "SELECT r.case_id, r.item_id, r.rating, c.submitted_at "
        "FROM item_reviews r JOIN cases c ON c.id = r.case_id "
        "WHERE c.submitted_at IS NOT NULL AND r.item_id <> 'face'"
    )


def downgrade():
    op.drop_table('submitted_ratings')
