"""Plans may measure a sub-item (12A, 12B, 12C): the measure's kind allows 'subitem'.

Revision ID: 2d2e867c443a
Revises: 8d2f4a6c1e93
Create Date: 2026-12-05 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2d2e867c443a'
down_revision = '8d2f4a6c1e93'
branch_labels = None
depends_on = None

# The kinds as they are before and at this revision (review_app/plans/states.py may grow later).
BEFORE = ('item', 'outcome')
NOW = ('item', 'subitem', 'outcome')


def _allowed(values):
    return f"kind IN ({', '.join(repr(value) for value in values)})"


def _replace(values):
    with op.batch_alter_table('pip_measures', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_pip_measures_kind'), type_='check')
        batch_op.create_check_constraint('kind', _allowed(values))


def upgrade():
    _replace(NOW)


def downgrade():
    connection = op.get_bind()
    found = connection.execute(
        sa.text("SELECT COUNT(*) FROM pip_measures WHERE kind = 'subitem'")
    ).scalar()
    if found:
        raise RuntimeError(
            f"{found} measure(s) of improvement plans measure a sub-item, which the earlier "
            "schema cannot hold. Remove them from their plans, then downgrade again."
        )
    _replace(BEFORE)
