"""Notifications: notices per person and site, email preferences, and the digests sent.

A notice tells one person of one event on one site (a case returned, a comment, a
case waiting in a QA queue ...), by case number, with a link; it records when it
was read and emailed. A person's email choice per site (at once, a daily digest,
never) is absent until they choose (a daily digest). One row per person, site and
day records each digest, so a second run of the day sends none; one row per day
records that the day's run was taken, so two schedulers never both run it.

Revision ID: 7c3e9a1d5b42
Revises: c4e19a7b2d51
Create Date: 2026-12-01 20:31:02.120584

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c3e9a1d5b42'
down_revision = 'c4e19a7b2d51'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notice_daily_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_daily_runs')),
    sa.UniqueConstraint('run_on', name=op.f('uq_notice_daily_runs_run_on'))
    )
    op.create_table('notice_digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('notice_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_notice_digests_site_id_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notice_digests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_digests')),
    sa.UniqueConstraint('user_id', 'site_id', 'sent_on', name=op.f('uq_notice_digests_user_id_site_id_sent_on'))
    )
    op.create_table('notice_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('delivery', sa.Enum('at_once', 'daily', 'never', name='delivery', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_notice_preferences_site_id_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notice_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_preferences')),
    sa.UniqueConstraint('user_id', 'site_id', name=op.f('uq_notice_preferences_user_id_site_id'))
    )
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('case_returned', 'new_comment', 'queue_arrival', 'case_assigned', 'merge_waiting', 'qa_waiting', 'period_closing', 'job_done', name='kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('emailed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notices_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_notices_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_notices_recipient_site_read', ['recipient_id', 'site_id', 'read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notices_site_id'), ['site_id'], unique=False)



def downgrade():
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_site_id'))
        batch_op.drop_index('ix_notices_recipient_site_read')
        batch_op.drop_index(batch_op.f('ix_notices_created_at'))

    op.drop_table('notices')
    op.drop_table('notice_preferences')
    op.drop_table('notice_digests')
    op.drop_table('notice_daily_runs')
