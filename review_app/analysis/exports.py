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


def _count(table: Crosstab, row: str | None, column: str | None) -> int | str:
    """A count as a number, or "fewer than N" in words where it is hidden."""
    shown = table.shown_at(row, column)
    return int(shown) if shown.isdigit() else shown


def _table_rows(table: Crosstab) -> Iterator[list[Any]]:
    """One line per cell, then per row and column total, then the whole: long format.

    Small counts, and the percentages that would reveal them, are hidden as on the page.
    """
    for row, row_label in table.rows.codes():
        for column, column_label in table.columns.codes():
            yield [
                row_label,
                column_label,
                _count(table, row, column),
                _percent(table.shown_row_percent(row, column)),
                _percent(table.shown_column_percent(row, column)),
            ]
        whole = table.row_total(row)
        yield [row_label, ALL, _count(table, row, None), 100.0 if whole else "", ""]
    for column, column_label in table.columns.codes():
        whole = table.column_total(column)
        yield [ALL, column_label, _count(table, None, column), "", 100.0 if whole else ""]
    yield [ALL, ALL, _count(table, None, None), "", ""]
    for note in notes(table):
        yield [note, "", "", "", ""]


def notes(table: Crosstab) -> list[str]:
    """What a reader of the table must know: hidden cells, and children counted twice."""
    found = [axis.several for axis in (table.rows, table.columns) if axis.several]
    if table.all_hidden:
        found.append(
            f"Every count in this table is hidden: each is under {table.minimum} cases or, "
            "with a total, would give one back; all are hidden "
            "to protect children’s privacy. Choose fewer filters or a longer time."
        )
    elif table.hidden:
        found.append(
            f"Counts under {table.minimum} cases are shown as “fewer than {table.minimum}”, "
            "with the percentages that would reveal them, and so is a further count where "
            "a total would give a hidden one back, to protect children’s privacy."
        )
    return found


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
