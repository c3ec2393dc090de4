"""interviews and systemic factors

Stakeholder interviews with their note-takers and note sets, systemic factor
ratings citing interviews, and QA threads that belong to a case or an interview.

Revision ID: 7a1e4c2b9d01
Revises: 569f825452cc
Create Date: 2026-11-22 19:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7a1e4c2b9d01'
down_revision = '569f825452cc'
branch_labels = None
depends_on = None

ONE_SUBJECT = (
    "(case_id IS NULL AND interview_id IS NOT NULL) "
    "OR (case_id IS NOT NULL AND interview_id IS NULL)"
)


def upgrade():
    op.create_table('interviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('local_site_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('stakeholder_types', sa.JSON(), nullable=False),
    sa.Column('interviewer_id', sa.Integer(), nullable=False),
    sa.Column('official_note_taker_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_version', sa.Integer(), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('merged_at', sa.DateTime(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('return_reason', sa.String(length=1000), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'complete')", name=op.f('ck_interviews_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_interviews_created_by_id_users')),
    sa.ForeignKeyConstraint(['interviewer_id'], ['users.id'], name=op.f('fk_interviews_interviewer_id_users')),
    sa.ForeignKeyConstraint(['local_site_id'], ['local_sites.id'], name=op.f('fk_interviews_local_site_id_local_sites')),
    sa.ForeignKeyConstraint(['official_note_taker_id'], ['users.id'], name=op.f('fk_interviews_official_note_taker_id_users')),
    sa.ForeignKeyConstraint(['period_id'], ['review_periods.id'], name=op.f('fk_interviews_period_id_review_periods')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_interviews_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews'))
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index('ix_interviews_site_period', ['site_id', 'period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_local_site_id'), ['local_site_id'], unique=False)

    op.create_table('interview_note_takers',
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_interview_note_takers_interview_id_interviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_interview_note_takers_user_id_users')),
    sa.PrimaryKeyConstraint('interview_id', 'user_id', name=op.f('pk_interview_note_takers'))
    )

    op.create_table('interview_note_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('is_done', sa.Boolean(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_interview_note_sets_author_id_users')),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_interview_note_sets_interview_id_interviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_interview_note_sets_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_note_sets')),
    sa.UniqueConstraint('interview_id', 'author_id', name=op.f('uq_interview_note_sets_interview_id_author_id'))
    )

    op.create_table('systemic_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('rating', sa.String(length=20), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('rated_by_id', sa.Integer(), nullable=False),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("rating IN ('strength', 'ani')", name=op.f('ck_systemic_ratings_rating')),
    sa.ForeignKeyConstraint(['period_id'], ['review_periods.id'], name=op.f('fk_systemic_ratings_period_id_review_periods')),
    sa.ForeignKeyConstraint(['rated_by_id'], ['users.id'], name=op.f('fk_systemic_ratings_rated_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_systemic_ratings_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_systemic_ratings')),
    sa.UniqueConstraint('period_id', 'item_id', name=op.f('uq_systemic_ratings_period_id_item_id'))
    )
    with op.batch_alter_table('systemic_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_systemic_ratings_site_id'), ['site_id'], unique=False)

    op.create_table('systemic_rating_interviews',
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_systemic_rating_interviews_interview_id_interviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rating_id'], ['systemic_ratings.id'], name=op.f('fk_systemic_rating_interviews_rating_id_systemic_ratings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rating_id', 'interview_id', name=op.f('pk_systemic_rating_interviews'))
    )
    with op.batch_alter_table('systemic_rating_interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_systemic_rating_interviews_interview_id'), ['interview_id'], unique=False)

    # A thread now belongs to a case or to an interview (SQLite rebuilds the table).
    with op.batch_alter_table('qa_threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interview_id', sa.Integer(), nullable=True))
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_qa_threads_interview_id_interviews'), 'interviews', ['interview_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_qa_threads_interview_id'), ['interview_id'], unique=False)
        batch_op.create_check_constraint('one_subject', ONE_SUBJECT)


def downgrade():
    # Threads on interviews have no place in the older schema.
    op.execute("DELETE FROM qa_comments WHERE thread_id IN "
               "(SELECT id FROM qa_threads WHERE interview_id IS NOT NULL)")
    op.execute("DELETE FROM qa_threads WHERE interview_id IS NOT NULL")
    with op.batch_alter_table('qa_threads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_qa_threads_one_subject'), type_='check')
        batch_op.drop_index(batch_op.f('ix_qa_threads_interview_id'))
        batch_op.drop_constraint(batch_op.f('fk_qa_threads_interview_id_interviews'), type_='foreignkey')
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('interview_id')

    with op.batch_alter_table('systemic_rating_interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_systemic_rating_interviews_interview_id'))
    op.drop_table('systemic_rating_interviews')

    with op.batch_alter_table('systemic_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_systemic_ratings_site_id'))
    op.drop_table('systemic_ratings')

    op.drop_table('interview_note_sets')
    op.drop_table('interview_note_takers')

    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interviews_local_site_id'))
        batch_op.drop_index('ix_interviews_site_period')
    op.drop_table('interviews')
