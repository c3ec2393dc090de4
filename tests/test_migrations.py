"""The migrations build exactly the models' schema, and undo it."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from review_app.extensions import db

# Migrations run on connections of their own and change the schema.
pytestmark = pytest.mark.real_commits


def test_upgrade_from_empty_gives_the_models_schema_and_downgrade_removes_it(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata
            )
        assert differences == []
        assert set(inspect(db.engine).get_table_names()) == {
            table.name for table in db.metadata.sorted_tables
        } | {"alembic_version"}


def test_upgrading_a_database_with_data_keeps_every_row(demo):
    """Batch migrations copy tables on SQLite; rows pointing at them must survive."""
    from sqlalchemy import func, select

    from review_app.cases.models import Case
    from review_app.ratings.models import Answer

    def counts():
        return (
            db.session.scalar(select(func.count()).select_from(Case)),
            db.session.scalar(select(func.count()).select_from(Answer)),
        )

    with demo.app_context():
        before = counts()
        assert before[1] > 0
        db.session.rollback()  # end this session's read: the migration locks the tables
        downgrade(revision="be5c8a6f3b45")  # the schema before accounts gained sessions
        upgrade()
        assert counts() == before
