"""Sign-in sessions kept server side, and who deactivated an account.

Each sign-in gets a row in user_sessions (the cookie carries its key; the
table its SHA-256 digest), so signing out ends the session everywhere. The
per-user session_version it replaces goes. users.deactivated_by says which
level (system or state) deactivated an account, so only that level undoes it;
accounts already deactivated count as deactivated by a system administrator,
the cautious choice.

Revision ID: 3f7c1a9e5b20
Revises: be5c8a6f3b45
Create Date: 2026-12-01 14:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3f7c1a9e5b20'
down_revision = 'be5c8a6f3b45'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deactivated_by', sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(
            'deactivated_by', "deactivated_by IS NULL OR deactivated_by IN ('system', 'state')"
        )
        batch_op.drop_column('session_version')
        # Locks are kept per username and address by the rate limiter now.
        batch_op.drop_column('locked_until')
    op.execute("UPDATE users SET deactivated_by = 'system' WHERE NOT is_active")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), nullable=False, server_default='1')
        )
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_users_deactivated_by'), type_='check')
        batch_op.drop_column('deactivated_by')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
