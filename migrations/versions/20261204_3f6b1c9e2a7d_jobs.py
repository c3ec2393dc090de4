"""Jobs: long work the queue does for a person on a site (a period's PDF), its progress
and its result, kept a stated number of days.

``active_key`` is unique: the same job started twice while the first waits or runs is
refused by the database, and the app returns the first.

Revision ID: 3f6b1c9e2a7d
Revises: 7c3e9a1d5b42
Create Date: 2026-12-04 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3f6b1c9e2a7d'
down_revision = '7c3e9a1d5b42'
branch_labels = None
depends_on = None

# The states as they are at this revision (review_app/jobs/states.py may grow later).
JOB_STATES = ('queued', 'running', 'done', 'failed', 'cancelled')


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('active_key', sa.String(length=200), nullable=True),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('unit', sa.String(length=40), nullable=False),
        sa.Column('parts_left', sa.Integer(), nullable=False),
        sa.Column('worker_host', sa.String(length=200), nullable=True),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('result_path', sa.String(length=300), nullable=True),
        sa.Column('download_name', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            f"status IN ({', '.join(repr(state) for state in JOB_STATES)})",
            name=op.f('ck_jobs_status'),
        ),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_jobs_site_id_sites')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_jobs_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
        sa.UniqueConstraint('active_key', name=op.f('uq_jobs_active_key')),
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_user_id'))
        batch_op.drop_index(batch_op.f('ix_jobs_expires_at'))
    op.drop_table('jobs')
