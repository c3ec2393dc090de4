"""Insert many rows of one table fast: COPY on PostgreSQL, a plain executemany on SQLite.

For imports of thousands of rows. Through the ORM or even Core, SQLAlchemy
spends more time per row (defaults, parameter processing) than the database;
psycopg sends an executemany one row per statement, and multi-row INSERTs of
thousands of parameters spend longer in its query parser than in the
database. Both paths write in the session's transaction, so a later rollback
undoes them like any other write.
"""

import json
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import JSON, Table, insert
from sqlalchemy.schema import ColumnDefault

from review_app.core.models import Base
from review_app.extensions import db


def insert_rows(model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (column key -> value) into the model's table; fill in column defaults.

    A default that is a function (a timestamp) is called once for all rows.
    """
    if not rows:
        return
    connection = db.session.connection()
    table = cast(Table, model.__table__)  # typed as any FromClause; a model maps one Table
    columns = [c for c in table.columns if not (c.primary_key and c.autoincrement)]
    defaults: dict[str, Any] = {}
    for column in columns:
        # Typed as any DefaultGenerator; the models' defaults are values or functions.
        default = cast(ColumnDefault | None, column.default)
        if default is None:
            defaults[column.key] = None
        elif default.is_callable:
            defaults[column.key] = default.arg(None)
        else:
            defaults[column.key] = default.arg
    names = ", ".join(f'"{c.name}"' for c in columns)
    dialect = connection.dialect
    driver = connection.connection.driver_connection
    assert driver is not None  # a connection checked out of the pool has one
    if dialect.name == "postgresql":
        is_json = {c.key for c in columns if isinstance(c.type, JSON)}
        cursor = driver.cursor()
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                values = []
                for column in columns:
                    value = row.get(column.key, defaults[column.key])
                    if column.key in is_json and value is not None:
                        value = json.dumps(value)
                    values.append(value)
                copy.write_row(values)
    elif dialect.name == "sqlite":
        processors = [(c.key, c.type.bind_processor(dialect)) for c in columns]
        marks = ", ".join("?" for _ in columns)
        driver.cursor().executemany(
            f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',
            (
                [
                    process(value) if process and value is not None else value
                    for key, process in processors
                    for value in (row.get(key, defaults[key]),)
                ]
                for row in rows
            ),
        )
    else:
        db.session.execute(insert(table), [defaults | row for row in rows])
