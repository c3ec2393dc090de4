"""Foundation: accounts, jurisdictions and sites, memberships, local sites, periods, audit.

Revision ID: e568fa79ff77
Revises: 
Create Date: 2026-11-22 16:50:15.606936

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e568fa79ff77'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jurisdictions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jurisdictions')),
    sa.UniqueConstraint('code', name=op.f('uq_jurisdictions_code'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('is_system_admin', sa.Boolean(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('last_failed_login_at', sa.DateTime(), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['jurisdictions.id'], name=op.f('fk_sites_jurisdiction_id_jurisdictions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('jurisdiction_id', 'kind', name=op.f('uq_sites_jurisdiction_id_kind'))
    )
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=80), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_audit_entries_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index('ix_audit_entries_site_created', ['site_id', 'created_at'], unique=False)

    op.create_table('local_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_local_sites_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_sites')),
    sa.UniqueConstraint('site_id', 'code', name=op.f('uq_local_sites_site_id_code')),
    sa.UniqueConstraint('site_id', 'name', name=op.f('uq_local_sites_site_id_name'))
    )
    with op.batch_alter_table('local_sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_local_sites_site_id'), ['site_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('is_state_admin', sa.Boolean(), nullable=False),
    sa.Column('is_reviewer', sa.Boolean(), nullable=False),
    sa.Column('is_observer', sa.Boolean(), nullable=False),
    sa.Column('qa_level', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('qa_level IS NULL OR qa_level IN (1, 2)', name=op.f('ck_memberships_qa_level')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_memberships_site_id_sites')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('user_id', 'site_id', name=op.f('uq_memberships_user_id_site_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('review_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('pur_start', sa.Date(), nullable=True),
    sa.Column('pur_end', sa.Date(), nullable=False),
    sa.Column('instrument_version', sa.String(length=80), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_review_periods_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_periods')),
    sa.UniqueConstraint('site_id', 'name', name=op.f('uq_review_periods_site_id_name'))
    )
    with op.batch_alter_table('review_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_periods_site_id'), ['site_id'], unique=False)

    op.create_table('period_local_sites',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('local_site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['local_site_id'], ['local_sites.id'], name=op.f('fk_period_local_sites_local_site_id_local_sites')),
    sa.ForeignKeyConstraint(['period_id'], ['review_periods.id'], name=op.f('fk_period_local_sites_period_id_review_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('period_id', 'local_site_id', name=op.f('pk_period_local_sites'))
    )


def downgrade():
    op.drop_table('period_local_sites')
    with op.batch_alter_table('review_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_periods_site_id'))

    op.drop_table('review_periods')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_site_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('local_sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_local_sites_site_id'))

    op.drop_table('local_sites')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_site_created')
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
    op.drop_table('sites')
    op.drop_table('users')
    op.drop_table('jurisdictions')
