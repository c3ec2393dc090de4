"""Each test in one transaction, rolled back at its end (see ``app`` in conftest.py).

The application's session is bound to one connection in an outer transaction and
joins it with savepoints, so the application's own ``commit()`` and ``rollback()``
only release or undo savepoints. Fixtures that make the same rows for many tests
can have them written back instead of made again (``replayed``).
"""

from contextlib import contextmanager

from sqlalchemy import bindparam, event

from review_app.extensions import db


class Shared:
    """The connection of the rolled-back test running now, for apps the test makes."""

    connection = None
    url: str | None = None
    bound: list = []
    written = False  # the test changed a row: its fixtures no longer start from the demo


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
    shared.written = False
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
        shared.connection, shared.url, shared.bound = None, None, []
        outer.rollback()
        if connection.dialect.name == "sqlite":
            raw.isolation_level = isolation
        connection.close()


def replayed(app, name: str, build):
    """Return ``build()``; in a rolled-back test, make its rows once per database only.

    The first time, ``build`` runs and the rows it added, changed or removed are
    kept; later tests (each starts from the same demo) get those rows written
    back directly, and the value ``build`` returned. Use it for fixtures that make
    the same data through slow operations for many tests (``complete_case``).
    In a test that commits for real, ``build`` runs every time.
    """
    connection = shared.connection
    if connection is None or shared.written:  # rows are replayed onto the demo alone
        return build()
    kept = app.extensions.setdefault("test_replays", {})
    if name not in kept:
        before = _rows_by_key(connection)
        result = build()
        kept[name] = (_changes(before, _rows_by_key(connection)), result)
        return result
    changes, result = kept[name]
    # One statement per table and kind, each run for many rows (one round trip on PostgreSQL).
    for table, removed, _changed, _added in reversed(changes):
        if removed:
            connection.execute(table.delete().where(*_by_key(table)), _keys(table, removed))
    for table, _removed, changed, added in changes:
        if changed:
            connection.execute(table.update().where(*_by_key(table)), _keyed(table, changed))
        if added:
            connection.execute(table.insert(), added)
    return result


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
    if not shared.written and statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        shared.written = True


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
