"""Write a table's rows as CSV, the same bytes every time for the same rows."""

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from review_app.backup.schema import exportable_columns

ROWS_PER_FETCH = 2000


def cell(value: Any) -> str | None:
    """Return a value as CSV text; None stays None (an empty, unquoted cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_line(values: list[str | None]) -> bytes:
    """Return one CSV record: text always quoted, so an empty unquoted cell means NULL."""
    quoted = ("" if value is None else '"' + value.replace('"', '""') + '"' for value in values)
    return (",".join(quoted) + "\r\n").encode()


def write_rows(connection: Connection, table: Table, condition, write: Callable[[bytes], Any]):
    """Write the header and ``table``'s rows meeting ``condition`` in key order.

    Return (row count, SHA-256 hex digest of everything written).
    """
    columns = exportable_columns(table)
    digest = hashlib.sha256()

    def emit(data: bytes) -> None:
        digest.update(data)
        write(data)

    emit(csv_line([column.name for column in columns]))
    statement = (
        select(*columns)
        .where(condition)
        .order_by(*table.primary_key.columns)
        .execution_options(yield_per=ROWS_PER_FETCH)
    )
    count = 0
    for row in connection.execute(statement):
        emit(csv_line([cell(value) for value in row]))
        count += 1
    return count, digest.hexdigest()
