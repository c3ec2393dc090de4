"""QA workflow: case status details, comment threads, rating overrides and change history.

Existing rows get defaults for the new required columns.

Revision ID: 569f825452cc
Revises: cb3c5b7d3184
Create Date: 2026-11-22 17:49:34.038137

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '569f825452cc'
down_revision = 'cb3c5b7d3184'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('qa_threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('question_id', sa.String(length=40), nullable=True),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('case_status', sa.String(length=20), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_qa_threads_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_qa_threads_created_by_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_qa_threads_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_threads'))
    )
    with op.batch_alter_table('qa_threads', schema=None) as batch_op:
        batch_op.create_index('ix_qa_threads_case_open', ['case_id', 'is_open'], unique=False)

    op.create_table('rating_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=80), nullable=False),
    sa.Column('case_status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_rating_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_rating_changes_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_changes'))
    )
    with op.batch_alter_table('rating_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_changes_case_id'), ['case_id'], unique=False)

    op.create_table('qa_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_qa_comments_author_id_users')),
    sa.ForeignKeyConstraint(['thread_id'], ['qa_threads.id'], name=op.f('fk_qa_comments_thread_id_qa_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_comments'))
    )
    with op.batch_alter_table('qa_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_comments_thread_id'), ['thread_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('status_changed_at', sa.DateTime(), nullable=False,
                                      server_default=sa.func.current_timestamp()))
        batch_op.add_column(sa.Column('finalized_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('elimination_reason', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('elimination_note', sa.String(length=1000), nullable=False, server_default=''))

    with op.batch_alter_table('item_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('override_rating', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('override_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('override_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('override_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_item_reviews_override_by_id_users'), 'users', ['override_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('item_reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_item_reviews_override_by_id_users'), type_='foreignkey')
        batch_op.drop_column('override_at')
        batch_op.drop_column('override_by_id')
        batch_op.drop_column('override_reason')
        batch_op.drop_column('override_rating')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('elimination_note')
        batch_op.drop_column('elimination_reason')
        batch_op.drop_column('finalized_at')
        batch_op.drop_column('status_changed_at')
        batch_op.drop_column('status_version')

    with op.batch_alter_table('qa_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_comments_thread_id'))

    op.drop_table('qa_comments')
    with op.batch_alter_table('rating_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_changes_case_id'))

    op.drop_table('rating_changes')
    with op.batch_alter_table('qa_threads', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_threads_case_open')

    op.drop_table('qa_threads')
