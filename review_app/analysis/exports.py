"""An analysis as a download: its table (CSV, XLSX) and the cases behind it (CSV, XLSX)."""

from collections.abc import Callable, Iterator
from typing import Any

from flask import Response

from review_app.analysis.queries import Crosstab
from review_app.analysis.sources import Axis
from review_app.cases.models import CASE_TYPES
from review_app.core.spreadsheets import download

ALL = "All answers"


def _percent(value: float | None) -> float | str:
    return round(value, 1) if value is not None else ""


def _table_rows(table: Crosstab) -> Iterator[list[Any]]:
    """One line per cell, then per row and column total, then the whole: long format."""
    for row, row_label in table.rows.codes():
        for column, column_label in table.columns.codes():
            yield [
                row_label,
                column_label,
                table.count(row, column),
                _percent(table.row_percent(row, column)),
                _percent(table.column_percent(row, column)),
            ]
        yield [row_label, ALL, table.row_total(row), 100.0 if table.row_total(row) else "", ""]
    for column, column_label in table.columns.codes():
        whole = table.column_total(column)
        yield [ALL, column_label, whole, "", 100.0 if whole else ""]
    yield [ALL, ALL, table.total, "", ""]


def table_download(fmt: str, name: str, table: Crosstab) -> Response:
    """Return the table as a CSV or XLSX download, one line per cell."""
    header = [table.rows.label, table.columns.label, "Cases", "% of row", "% of column"]
    return download(fmt, name, header, lambda: _table_rows(table))


def cases_download(
    fmt: str, name: str, rows: Axis, columns: Axis, result: Callable[[], Iterator[tuple]]
) -> Response:
    """Return the cases behind a cell (or the whole table); ``result()`` runs the query."""
    header = ["Case number", "Case type", "Local site", "Review period", rows.label, columns.label]

    def lines() -> Iterator[list[Any]]:
        for _id, number, case_type, local, period, row, column in result():
            yield [
                number,
                CASE_TYPES.get(case_type, case_type),
                local,
                period,
                rows.label_of(row),
                columns.label_of(column),
            ]

    return download(fmt, name, header, lines)
