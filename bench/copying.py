"""COPY rows into the application's tables, filling the columns the generator leaves out.

Rows are given as text-format COPY lines (tab-separated, already escaped, no newline),
so the generator can build most of each line once and reuse it across cases.
A NOT NULL column the generator does not name gets the model's Python default; a
column with neither a value nor a default stops the load with its name, so a new
column added to a model does not silently break the benchmark.
"""

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import psycopg
from sqlalchemy import Table

NULL = "\\N"
CHUNK = 4000  # lines per write to the COPY stream


def text(value: Any) -> str:
    """Return a value as one field of a text-format COPY line."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def json_text(value: Any) -> str:
    """Return a value as a JSON column's COPY field, as SQLAlchemy's JSON type stores it."""
    return NULL if value is None else text(json.dumps(value))


def line(*values: Any) -> str:
    return "\t".join(text(value) for value in values)


def _default(table: Table, name: str) -> Any:
    column = table.c[name]
    default = column.default
    if default is not None and default.is_scalar:
        return default.arg
    if default is not None and default.is_callable:
        return default.arg(None)  # SQLAlchemy wraps argument-less callables
    raise LookupError(
        f"{table.name}.{name} is NOT NULL and has no default: bench/generate.py must fill it"
    )


def completion(table: Table, given: list[str]) -> tuple[list[str], str]:
    """Return the columns to add to ``given`` and the fixed text that fills them."""
    extra, values = [], []
    for column in table.columns:
        if column.name in given or column.nullable or column.server_default is not None:
            continue
        extra.append(column.name)
        values.append(_default(table, column.name))
    unknown = [name for name in given if name not in table.c]
    if unknown:
        raise LookupError(f"{table.name} has no column(s) {', '.join(unknown)}")
    return extra, "".join("\t" + text(value) for value in values)


@dataclass
class Loaded:
    """How many rows went into a table, and how long it took."""

    table: str
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Copier:
    """Load tables over one connection and keep a tally."""

    conn: psycopg.Connection
    tables: dict[str, Table]
    tally: list[Loaded] = field(default_factory=list)

    def copy(self, name: str, columns: list[str], lines: Iterable[str]) -> int:
        """COPY ``lines`` (values of ``columns``, in that order) into table ``name``."""
        extra, tail = completion(self.tables[name], columns)
        end = tail + "\n"
        started, count = time.perf_counter(), 0
        statement = f"COPY {name} ({', '.join(columns + extra)}) FROM STDIN"
        with self.conn.cursor() as cursor, cursor.copy(statement) as copy:
            chunk: list[str] = []
            for text_line in lines:
                chunk.append(text_line)
                if len(chunk) == CHUNK:
                    copy.write(end.join(chunk) + end)
                    count += len(chunk)
                    chunk.clear()
            if chunk:
                copy.write(end.join(chunk) + end)
                count += len(chunk)
        self.tally.append(Loaded(name, count, time.perf_counter() - started))
        return count

    def next_id(self, name: str) -> int:
        """Return the first free id of a table (1 on an empty one)."""
        return self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {name}").fetchone()[0]

    def reset_sequences(self) -> None:
        """Move every loaded table's id sequence past the ids COPY wrote."""
        for loaded in self.tally:
            if "id" in self.tables[loaded.table].c:
                self.conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{loaded.table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {loaded.table}), false)"
                )
