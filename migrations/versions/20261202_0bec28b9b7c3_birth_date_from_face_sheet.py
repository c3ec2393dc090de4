"""The case's child birth date takes the face sheet's target child's, where they differ.

From now on the case's date is the one source (the age filter reads it) and the
face sheet's target child row carries the same date, each written in the same
operation as the other. Cases saved before disagreed; the face sheet holds what
the reviewer read in the case file, so it wins.

Revision ID: 0bec28b9b7c3
Revises: 6d93e867da5c
Create Date: 2026-12-02 09:00:00

"""

from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0bec28b9b7c3'
down_revision = '6d93e867da5c'
branch_labels = None
depends_on = None

cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('child_birth_date', sa.Date))
answers = sa.table(
    'answers',
    sa.column('case_id', sa.Integer),
    sa.column('question_id', sa.String),
    sa.column('value', sa.JSON),
)


def _target_birth(children) -> date | None:
    for row in children if isinstance(children, list) else []:
        if isinstance(row, dict) and row.get('target') == 'yes':
            try:
                return date.fromisoformat(row.get('birth_date') or '')
            except (TypeError, ValueError):
                return None
    return None


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(answers.c.case_id, answers.c.value, cases.c.child_birth_date)
        .join(cases, cases.c.id == answers.c.case_id)
        .where(answers.c.question_id == 'FS-children')
    )
    changes = [
        {'case_id': case_id, 'birth': birth}
        for case_id, value, current in rows
        if (birth := _target_birth(value)) is not None and birth != current
    ]
    if changes:
        connection.execute(
            cases.update()
            .where(cases.c.id == sa.bindparam('case_id'))
            .values(child_birth_date=sa.bindparam('birth')),
            changes,
        )


def downgrade():
    # The dates replaced were the ones that disagreed with the face sheet; nothing to restore.
    pass
