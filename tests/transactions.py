"""Each test in one transaction, rolled back at its end (see ``app`` in conftest.py).

The application's session is bound to one connection in an outer transaction and
joins it with savepoints, so the application's own ``commit()`` and ``rollback()``
only release or undo savepoints. Fixtures that make the same rows for many tests
can have them written back instead of made again (``replayed``).
"""

from contextlib import contextmanager

from sqlalchemy import Engine, bindparam, event, text

from review_app.core.bulk import write_rows
from review_app.extensions import db


class Shared:
    """The test running now: its rolled-back connection, for apps the test makes, and what
    its database holds beyond the demo, for ``replayed`` (rolled back or committing)."""

    connection = None
    url: str | None = None
    bound: list = []
    # What the test's database holds beyond the demo, for ``replayed``: the fixtures
    # replayed so far, in order, or None once anything else wrote or the test began
    # without the demo.
    replays: list[str] | None = None


shared = Shared()


def delete_all(connection) -> None:
    """Delete every row, children before their parents."""
    for table in reversed(db.metadata.sorted_tables):
        connection.execute(table.delete())


@contextmanager
def rolled_back(app, *, empty: bool):
    """Bind ``app`` to one connection in a transaction that is rolled back at the end.

    The session joins that transaction with savepoints (``join_transaction_mode``
    is set below), so a ``commit()`` in the application releases a savepoint and
    the rows stay visible to the next request of the test, on the same connection.
    """
    with app.app_context():
        engines = db.engines
        engine = engines[None]
    connection = engine.connect()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "sqlite":
        # pysqlite begins transactions itself and breaks SAVEPOINT; let SQLAlchemy's
        # BEGIN through instead (SQLAlchemy's documented pysqlite savepoint workaround).
        isolation = raw.isolation_level
        raw.isolation_level = None
    outer = connection.begin()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
    if empty:
        delete_all(connection)
    engines[None] = connection
    shared.replays = None if empty else []
    event.listen(connection, "before_cursor_execute", _note_writes)
    shared.connection, shared.url, shared.bound = (
        connection,
        app.config["SQLALCHEMY_DATABASE_URI"],
        [(app, engine)],
    )
    try:
        yield
    finally:
        for bound_app, bound_engine in shared.bound:
            with bound_app.app_context():
                db.session.remove()
                db.engines[None] = bound_engine
        shared.connection, shared.url, shared.bound, shared.replays = None, None, [], None
        outer.rollback()
        if connection.dialect.name == "sqlite":
            raw.isolation_level = isolation
        connection.close()


def replayed(app, name: str, build):
    """Return ``build()``, and make its rows only once per database.

    The first time, ``build`` runs and the rows it added, changed or removed are
    kept; later tests that start from the same rows (the demo and the same fixtures
    replayed before, in the same order) get those rows written back directly, and
    the value ``build`` returned. Use it for fixtures that make the same data through
    slow operations for many tests (``complete_case``). Once the test itself has
    written, ``build`` runs.
    """
    if shared.replays is None:
        return build()
    replays = shared.replays
    key = (*replays, name)
    kept = app.extensions.setdefault("test_replays", {})
    if key in kept:
        changes, result = kept[key]
        with _connection(app) as connection:
            _write_back(connection, changes)
    else:
        with _connection(app) as connection:
            before = _rows_by_key(connection)
        result = build()
        with _connection(app) as connection:
            kept[key] = (_changes(before, _rows_by_key(connection)), result)
    shared.replays = [*replays, name]  # the writes above were the fixture's, not the test's
    return result


@contextmanager
def _connection(app):
    """The rolled-back test's connection, or one that commits (a ``real_commits`` test)."""
    if shared.connection is not None:
        yield shared.connection
        return
    with app.app_context(), db.engine.begin() as connection:
        yield connection


def _write_back(connection, changes: list[tuple]) -> None:
    """Apply kept changes: one statement per table and kind, each run for many rows."""
    for table, removed, _changed, _added in reversed(changes):
        if removed:
            connection.execute(table.delete().where(*_by_key(table)), _keys(table, removed))
    for table, _removed, changed, added in changes:
        if changed:
            connection.execute(table.update().where(*_by_key(table)), _keyed(table, changed))
        if added:
            insert_kept(connection, table, added)


def insert_kept(connection, table, rows: list[dict]) -> None:
    """Insert rows read earlier (column name -> value), their ids included, as an import
    does (COPY on PostgreSQL); ids the table gives later come after them."""
    columns = list(table.columns)
    write_rows(connection, table, columns, ([row[c.name] for c in columns] for row in rows))
    keep_ids_ahead(connection, table)


def keep_ids_ahead(connection, table) -> None:
    """Move a PostgreSQL table's id sequence past the ids written into it by hand.

    A sequence only moves forward, whatever is rolled back, but a migration test that
    builds the schema again starts it anew: without this, a row the test adds later
    could be given an id a written-back row already has.
    """
    key = table.autoincrement_column
    if connection.dialect.name == "postgresql" and key is not None:
        sequence = f"pg_get_serial_sequence('{table.name}', '{key.name}')"
        connection.execute(
            text(
                f"SELECT setval({sequence}, GREATEST((SELECT max({key.name}) FROM {table.name}), "
                f"nextval({sequence})))"
            )
        )


def _by_key(table) -> list:
    """The condition "this row" for a statement run once per row (``_keyed`` rows)."""
    return [column == bindparam(f"key_{column.name}") for column in table.primary_key.columns]


def _keys(table, rows: list[dict]) -> list[dict]:
    return [
        {f"key_{column.name}": row[column.name] for column in table.primary_key.columns}
        for row in rows
    ]


def _keyed(table, rows: list[dict]) -> list[dict]:
    """The rows with their keys again under the names ``_by_key`` gives them."""
    return [{**row, **keys} for row, keys in zip(rows, _keys(table, rows), strict=True)]


def in_key_order(table):
    """Read ``table`` in key order: a row written back must come after the rows of its own
    table it refers to (a practice copy after its answer key), and PostgreSQL returns rows
    in the order they sit on disk, which an UPDATE changes."""
    return table.select().order_by(*table.primary_key.columns)


def _rows_by_key(connection) -> dict:
    return {
        table: {
            tuple(row[c.name] for c in table.primary_key.columns): dict(row)
            for row in connection.execute(in_key_order(table)).mappings()
        }
        for table in db.metadata.sorted_tables
    }


def _changes(before: dict, after: dict) -> list[tuple]:
    """Per table in dependency order: rows removed, changed and added between two reads."""
    changes = []
    for table in db.metadata.sorted_tables:
        old, new = before[table], after[table]
        removed = [row for key, row in old.items() if key not in new]
        changed = [row for key, row in new.items() if key in old and old[key] != row]
        added = [row for key, row in new.items() if key not in old]
        if removed or changed or added:
            changes.append((table, removed, changed, added))
    return changes


def _note_writes(conn, cursor, statement, *args) -> None:
    if shared.replays is not None and statement.lstrip()[:6].upper() in (
        "INSERT",
        "UPDATE",
        "DELETE",
    ):
        shared.replays = None


@contextmanager
def committed_on(*, demo: bool):
    """Note the writes of a test that commits for real, through any engine (a live server's
    threads too), so that ``replayed`` knows when its database is still the demo."""
    if not demo:  # nothing is replayed onto empty tables: no writes to note
        yield
        return
    shared.replays = []
    event.listen(Engine, "before_cursor_execute", _note_writes)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", _note_writes)
        shared.replays = None


def is_savepoint(statement: str) -> bool:
    """Whether a statement only marks a savepoint of a rolled-back test (not the app's work)."""
    return (
        statement.lstrip()
        .upper()
        .startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    )


# Sessions bound to a connection already in a transaction (the rolled-back tests)
# work in savepoints; a session bound to an engine, as in production, is unaffected.
db.session.session_factory.configure(join_transaction_mode="create_savepoint")
