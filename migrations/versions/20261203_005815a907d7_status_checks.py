"""The database allows only the known states in every status column.

``cases.status`` and the status a rating change or a QA thread recorded were
plain text; a CHECK constraint now allows only the workflow's states (the
interview status had one already). The stored values stay as they were. A row
holding any other value stops the upgrade with a message naming it, before
anything changes.

Revision ID: 005815a907d7
Revises: a41c7e2d9b10
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '005815a907d7'
down_revision = 'a41c7e2d9b10'
branch_labels = None
depends_on = None

# The states as they were at this revision (review_app/cases/states.py and
# review_app/interviews/states.py may grow later; this migration must not change).
CASE_STATES = (
    'in_progress', 'submitted', 'qa1', 'returned', 'qa2', 'finalized', 'eliminated'
)
INTERVIEW_STATES = ('draft', 'complete')

# table, column (also the constraint's name before the naming convention), allowed values
CHECKS = (
    ('cases', 'status', CASE_STATES),
    ('rating_changes', 'case_status', CASE_STATES),
    # A thread records its case's or its interview's status when it was opened.
    ('qa_threads', 'case_status', CASE_STATES + INTERVIEW_STATES),
)


def _allowed(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _refuse_unknown_values() -> None:
    connection = op.get_bind()
    for table, column, values in CHECKS:
        unknown = connection.execute(
            sa.text(f"SELECT DISTINCT {column} FROM {table} WHERE NOT ({_allowed(column, values)})")
        ).scalars().all()
        if unknown:
            raise RuntimeError(
                f"{table}.{column} holds values no state has: {sorted(unknown)!r}. "
                "Correct those rows, then upgrade again."
            )


def upgrade():
    _refuse_unknown_values()
    for table, column, values in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(column, _allowed(column, values))


def downgrade():
    for table, column, _ in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_{column}'), type_='check')
