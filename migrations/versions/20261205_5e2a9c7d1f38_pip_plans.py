"""Program improvement plans: the windows a plan measures, each item's or outcome's baseline
as computed when the plan was agreed, and every goal it has had.

Revision ID: 5e2a9c7d1f38
Revises: 8d2f4b6a1c3e
Create Date: 2026-12-05 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e2a9c7d1f38'
down_revision = '8d2f4b6a1c3e'
branch_labels = None
depends_on = None

# The kinds as they are at this revision (review_app/plans/states.py may grow later).
FIGURE_KINDS = ('item', 'outcome')
GOAL_KINDS = ('target', 'points')


def _check(table, values):
    return sa.CheckConstraint(
        f"kind IN ({', '.join(repr(value) for value in values)})", name=op.f(f'ck_{table}_kind')
    )


def upgrade():
    op.create_table(
        'pip_plans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('instrument_version', sa.String(length=80), nullable=False),
        sa.Column('baseline_start', sa.Date(), nullable=False),
        sa.Column('baseline_months', sa.Integer(), nullable=False),
        sa.Column('measure_months', sa.Integer(), nullable=False),
        sa.Column('every_months', sa.Integer(), nullable=False),
        sa.Column('last_month', sa.Date(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['users.id'], name=op.f('fk_pip_plans_created_by_id_users')
        ),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_pip_plans_site_id_sites')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pip_plans')),
        sa.UniqueConstraint('site_id', 'name', name=op.f('uq_pip_plans_site_id_name')),
    )
    with op.batch_alter_table('pip_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pip_plans_site_id'), ['site_id'], unique=False)

    op.create_table(
        'pip_measures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('ref', sa.String(length=20), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('baseline_applicable', sa.Integer(), nullable=False),
        sa.Column('baseline_hits', sa.Integer(), nullable=False),
        sa.Column('baseline_at', sa.DateTime(), nullable=False),
        _check('pip_measures', FIGURE_KINDS),
        sa.ForeignKeyConstraint(
            ['plan_id'],
            ['pip_plans.id'],
            name=op.f('fk_pip_measures_plan_id_pip_plans'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pip_measures')),
        sa.UniqueConstraint(
            'plan_id', 'kind', 'ref', name=op.f('uq_pip_measures_plan_id_kind_ref')
        ),
    )
    op.create_table(
        'pip_goals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('measure_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('tenths', sa.Integer(), nullable=False),
        sa.Column('valid_from', sa.DateTime(), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=500), nullable=False),
        _check('pip_goals', GOAL_KINDS),
        sa.ForeignKeyConstraint(
            ['measure_id'],
            ['pip_measures.id'],
            name=op.f('fk_pip_goals_measure_id_pip_measures'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_pip_goals_set_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pip_goals')),
    )
    with op.batch_alter_table('pip_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pip_goals_measure_id'), ['measure_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pip_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pip_goals_measure_id'))
    op.drop_table('pip_goals')
    op.drop_table('pip_measures')
    with op.batch_alter_table('pip_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pip_plans_site_id'))
    op.drop_table('pip_plans')
