"""Demographics and sub-item ratings: the target child's sex, races and Hispanic or Latino
ethnicity on the case; each sub-item's calculated rating (12A, 12B, 12C); and each site's
small-cell minimum, below which aggregate figures show as "fewer than N".

Cases rated before this revision get their sub-item ratings when next rated, or at once
with ``flask ratings rate-subitems``.

Revision ID: 8e2d4c6a1f37
Revises: 5e2a9c7d1f38
Create Date: 2026-12-05 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8e2d4c6a1f37'
down_revision = '5e2a9c7d1f38'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('child_sex', sa.String(length=40), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('child_hispanic', sa.String(length=40), server_default='', nullable=False)
        )
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('small_cell_minimum', sa.Integer(), server_default='5', nullable=False)
        )
    op.create_table(
        'case_races',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('race', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ['case_id'], ['cases.id'], name=op.f('fk_case_races_case_id_cases'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('case_id', 'race', name=op.f('pk_case_races')),
    )
    with op.batch_alter_table('case_races', schema=None) as batch_op:
        batch_op.create_index('ix_case_races_race_case', ['race', 'case_id'], unique=False)
    op.create_table(
        'subitem_ratings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.String(length=40), nullable=False),
        sa.Column('subitem_id', sa.String(length=40), nullable=False),
        sa.Column('rating', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ['case_id'],
            ['cases.id'],
            name=op.f('fk_subitem_ratings_case_id_cases'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subitem_ratings')),
        sa.UniqueConstraint(
            'case_id', 'subitem_id', name=op.f('uq_subitem_ratings_case_id_subitem_id')
        ),
    )


def downgrade():
    op.drop_table('subitem_ratings')
    with op.batch_alter_table('case_races', schema=None) as batch_op:
        batch_op.drop_index('ix_case_races_race_case')
    op.drop_table('case_races')
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('small_cell_minimum')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('child_hispanic')
        batch_op.drop_column('child_sex')
