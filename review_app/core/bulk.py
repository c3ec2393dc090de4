"""Insert many rows of one table fast: COPY on PostgreSQL, a plain executemany on SQLite.

For imports of thousands of rows. Through the ORM or even Core, SQLAlchemy
spends more time per row (defaults, parameter processing) than the database;
psycopg sends an executemany one row per statement, and multi-row INSERTs of
thousands of parameters spend longer in its query parser than in the
database. Both paths write in the session's transaction, so a later rollback
undoes them like any other write.
"""

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Column, Connection, Table, insert
from sqlalchemy.schema import ColumnDefault

from review_app.core.models import Base
from review_app.extensions import db


def insert_rows(model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (column key -> value) into the model's table; fill in column defaults.

    A default that is a function (a timestamp) is called once for all rows.
    """
    if not rows:
        return
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
    write_rows(
        db.session.connection(),
        table,
        columns,
        ([row.get(c.key, defaults[c.key]) for c in columns] for row in rows),
    )


def write_rows(
    connection: Connection, table: Table, columns: list[Column[Any]], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows`` (a value per column of ``columns``, in that order) in the connection's
    transaction. The values go through the columns' types (JSON, states, dates), as in any
    insert; a value for an autoincrementing key is kept as given."""
    dialect = connection.dialect
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    values = (
        [
            process(value) if process and value is not None else value
            for process, value in zip(processors, row, strict=True)
        ]
        for row in rows
    )
    names = ", ".join(f'"{c.name}"' for c in columns)
    driver = connection.connection.driver_connection
    assert driver is not None  # a connection checked out of the pool has one
    if dialect.name == "postgresql":
        with (
            driver.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
        ):
            for row in values:
                copy.write_row(row)
    elif dialect.name == "sqlite":
        marks = ", ".join("?" for _ in columns)
        driver.cursor().executemany(
            f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', values
        )
    else:  # through SQLAlchemy, which processes the values itself
        keys = [c.key for c in columns]
        connection.execute(insert(table), [dict(zip(keys, row, strict=True)) for row in rows])
