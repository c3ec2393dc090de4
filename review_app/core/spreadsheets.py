"""Lists as downloads, CSV or XLSX, both streamed while the rows are read."""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from flask import Response, stream_with_context

from review_app.core.xlsx import workbook_chunks

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run cells that start with these as formulas.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_filename(name: str) -> str:
    """Return a file name of letters, digits, dots, dashes and underscores only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "download"


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


Rows = Callable[[], Iterable[Sequence[Any]]]


def _csv_lines(header: Sequence[str], rows: Rows) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for count, row in enumerate(rows(), 1):
        writer.writerow([_cell(value) for value in row])
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Rows) -> Response:
    """Stream rows as a CSV download; ``rows()`` is read while the response is sent."""
    response = Response(
        stream_with_context(_csv_lines(header, rows)), mimetype="text/csv", content_type=CSV_TYPE
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{safe_filename(filename)}.csv"'
    )
    return response


# Further sheets of a workbook, each a name and its rows (header first), e.g. a codebook.
Sheets = Sequence[tuple[str, Sequence[Sequence[Any]]]]


def _xlsx_chunks(header: Sequence[str], rows: Rows, sheet: str, more: Sheets) -> Iterator[bytes]:
    def all_rows() -> Iterator[Sequence[Any]]:
        yield header
        for row in rows():
            yield [_cell(value) for value in row]

    others = [(name, [[_cell(value) for value in row] for row in table]) for name, table in more]
    return workbook_chunks(all_rows(), sheet, others)


def file_chunks(fmt: str, header: Sequence[str], rows: Rows, more: Sheets = ()) -> Iterator[bytes]:
    """Yield the bytes ``download`` streams, to write the same file to disk (a job's result)."""
    if fmt == "xlsx":
        yield from _xlsx_chunks(header, rows, "Data", more)
    else:
        for text in _csv_lines(header, rows):
            yield text.encode("utf-8")


def xlsx_response(
    filename: str, header: Sequence[str], rows: Rows, sheet: str = "Data", more: Sheets = ()
) -> Response:
    """Stream rows as an XLSX download; ``rows()`` is read while the response is sent."""
    response = Response(
        stream_with_context(_xlsx_chunks(header, rows, sheet, more)), content_type=XLSX_TYPE
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{safe_filename(filename)}.xlsx"'
    )
    return response


def download(
    fmt: str, filename: str, header: Sequence[str], rows: Rows, more: Sheets = ()
) -> Response:
    """Return the rows as a CSV or XLSX download; ``rows`` makes the row iterator.

    ``more`` are further sheets of a workbook; a CSV file has one table only.
    """
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows, more=more)
    return csv_response(filename, header, rows)
