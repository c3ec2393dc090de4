"""Database engine details that differ between PostgreSQL and SQLite."""

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

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
