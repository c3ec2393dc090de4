"""Cases, reviewer assignments, answers, item reviews and outcome ratings.

Revision ID: cb3c5b7d3184
Revises: e568fa79ff77
Create Date: 2026-11-22 17:00:46.021114

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cb3c5b7d3184'
down_revision = 'e568fa79ff77'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('local_site_id', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('case_type', sa.String(length=20), nullable=False),
    sa.Column('child_name', sa.String(length=80), nullable=False),
    sa.Column('child_birth_date', sa.Date(), nullable=True),
    sa.Column('family_name', sa.String(length=120), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('removal_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('pur_start', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['local_site_id'], ['local_sites.id'], name=op.f('fk_cases_local_site_id_local_sites')),
    sa.ForeignKeyConstraint(['period_id'], ['review_periods.id'], name=op.f('fk_cases_period_id_review_periods')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_cases_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('period_id', 'case_number', name=op.f('uq_cases_period_id_case_number'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_local_site_id'), ['local_site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_period_id'), ['period_id'], unique=False)
        batch_op.create_index('ix_cases_site_status', ['site_id', 'status'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=40), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_answers_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_answers_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('case_id', 'question_id', name=op.f('uq_answers_case_id_question_id'))
    )
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_assignments_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('case_id', 'user_id', name=op.f('uq_assignments_case_id_user_id'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_user_id'), ['user_id'], unique=False)

    op.create_table('item_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('rating', sa.String(length=20), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_item_reviews_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_item_reviews_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_reviews')),
    sa.UniqueConstraint('case_id', 'item_id', name=op.f('uq_item_reviews_case_id_item_id'))
    )
    op.create_table('outcome_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.String(length=40), nullable=False),
    sa.Column('rating', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_outcome_ratings_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_ratings')),
    sa.UniqueConstraint('case_id', 'outcome_id', name=op.f('uq_outcome_ratings_case_id_outcome_id'))
    )


def downgrade():
    op.drop_table('outcome_ratings')
    op.drop_table('item_reviews')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_user_id'))

    op.drop_table('assignments')
    op.drop_table('answers')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_site_status')
        batch_op.drop_index(batch_op.f('ix_cases_period_id'))
        batch_op.drop_index(batch_op.f('ix_cases_local_site_id'))

    op.drop_table('cases')
