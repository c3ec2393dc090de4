"""The migrations build exactly the models' schema, and undo it."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

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


def test_status_checks_stop_at_an_unknown_state_and_downgrade_lifts_them(demo, capfd):
    """The upgrade names a value no state has and changes nothing; the stored text is kept."""
    from sqlalchemy import text

    def status_of(case_id):
        with db.engine.connect() as connection:
            query = text("SELECT status FROM cases WHERE id = :id")
            return connection.execute(query, {"id": case_id}).scalar_one()

    def set_status(case_id, status):
        with db.engine.begin() as connection:
            query = text("UPDATE cases SET status = :status WHERE id = :id")
            connection.execute(query, {"id": case_id, "status": status})

    with demo.app_context():
        case_id = db.session.scalar(text("SELECT min(id) FROM cases"))
        db.session.rollback()
        kept = status_of(case_id)
        downgrade(revision="a41c7e2d9b10")  # the schema before the checks
        set_status(case_id, "archived")  # allowed without them
        with pytest.raises(SystemExit):
            upgrade()
        db.engine.dispose()  # a failed migration leaves SQLite's foreign keys off on its connection
        # Alembic's logging configuration writes the message to the terminal.
        assert "cases.status holds values no state has: ['archived']" in capfd.readouterr().err
        assert status_of(case_id) == "archived"
        set_status(case_id, kept)
        upgrade()
        assert status_of(case_id) == kept
        with pytest.raises(IntegrityError):
            set_status(case_id, "archived")


def test_plan_measures_take_sub_items_and_downgrade_refuses_to_lose_them(demo, capfd):
    """'subitem' is a kind of measure from 2d2e867c443a on; the downgrade names such rows."""
    from sqlalchemy import text

    def set_kind(measure_id, kind):
        with db.engine.begin() as connection:
            query = text("UPDATE pip_measures SET kind = :kind WHERE id = :id")
            connection.execute(query, {"id": measure_id, "kind": kind})

    with demo.app_context():
        measure_id = db.session.scalar(text("SELECT min(id) FROM pip_measures"))
        db.session.rollback()
        assert measure_id is not None  # the demo records a plan
        set_kind(measure_id, "subitem")
        with pytest.raises(IntegrityError):
            set_kind(measure_id, "bogus")
        with pytest.raises(SystemExit):
            downgrade(revision="8d2f4a6c1e93")  # the schema before sub-item measures
        db.engine.dispose()
        assert "measure a sub-item" in capfd.readouterr().err
        set_kind(measure_id, "item")
        downgrade(revision="8d2f4a6c1e93")
        with pytest.raises(IntegrityError):
            set_kind(measure_id, "subitem")
        upgrade()
        set_kind(measure_id, "subitem")
        set_kind(measure_id, "item")
