"""Database engine details that differ between PostgreSQL and SQLite."""

from typing import Any, cast

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import CursorResult, Engine, Result

from review_app.extensions import db


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite leaves foreign keys unchecked unless asked; wait instead of failing on a lock.
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def init_database(app: Flask) -> None:
    """Turn on SQLite's foreign keys for every connection of this app's engine."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)


def rowcount(result: Result[Any]) -> int:
    """Return how many rows the UPDATE or DELETE that gave ``result`` matched.

    ``Session.execute`` is typed to return any Result; for these statements it
    is a CursorResult, which counts the rows.
    """
    return cast(CursorResult[Any], result).rowcount
