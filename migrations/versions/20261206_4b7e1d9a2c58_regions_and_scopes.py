"""Regions of local sites, memberships limited to regions or local sites, Site Leaders.

Revision ID: 4b7e1d9a2c58
Revises: 2d2e867c443a
Create Date: 2026-12-06 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4b7e1d9a2c58'
down_revision = '2d2e867c443a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'regions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_regions_site_id_sites')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
        sa.UniqueConstraint('site_id', 'code', name=op.f('uq_regions_site_id_code')),
        sa.UniqueConstraint('site_id', 'name', name=op.f('uq_regions_site_id_name')),
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regions_site_id'), ['site_id'], unique=False)
    with op.batch_alter_table('local_sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_local_sites_region_id'), ['region_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_local_sites_region_id_regions'), 'regions', ['region_id'], ['id']
        )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_site_leader', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('is_limited', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        'membership_scopes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=True),
        sa.Column('local_site_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            '(region_id IS NULL) <> (local_site_id IS NULL)',
            name=op.f('ck_membership_scopes_region_or_local_site'),
        ),
        sa.ForeignKeyConstraint(
            ['local_site_id'],
            ['local_sites.id'],
            name=op.f('fk_membership_scopes_local_site_id_local_sites'),
        ),
        sa.ForeignKeyConstraint(
            ['membership_id'],
            ['memberships.id'],
            name=op.f('fk_membership_scopes_membership_id_memberships'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['region_id'], ['regions.id'], name=op.f('fk_membership_scopes_region_id_regions')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_scopes')),
        sa.UniqueConstraint(
            'membership_id', 'local_site_id',
            name=op.f('uq_membership_scopes_membership_id_local_site_id'),
        ),
        sa.UniqueConstraint(
            'membership_id', 'region_id', name=op.f('uq_membership_scopes_membership_id_region_id')
        ),
    )
    with op.batch_alter_table('membership_scopes', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_membership_scopes_membership_id'), ['membership_id'], unique=False
        )
        batch_op.create_index('ix_membership_scopes_region', ['region_id'], unique=False)
        batch_op.create_index('ix_membership_scopes_local_site', ['local_site_id'], unique=False)


def downgrade():
    with op.batch_alter_table('membership_scopes', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_scopes_local_site')
        batch_op.drop_index('ix_membership_scopes_region')
        batch_op.drop_index(batch_op.f('ix_membership_scopes_membership_id'))
    op.drop_table('membership_scopes')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('is_limited')
        batch_op.drop_column('is_site_leader')
    with op.batch_alter_table('local_sites', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_local_sites_region_id_regions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_local_sites_region_id'))
        batch_op.drop_column('region_id')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_site_id'))
    op.drop_table('regions')
