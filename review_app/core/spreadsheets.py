"""Lists as downloads: CSV streamed row by row, XLSX written in constant memory."""

import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence

from flask import Response, send_file, stream_with_context
from openpyxl import Workbook

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run cells that start with these as formulas.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_filename(name: str) -> str:
    """Return a file name of letters, digits, dots, dashes and underscores only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "download"


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


Rows = Callable[[], Iterable[Sequence]]


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


def xlsx_response(
    filename: str, header: Sequence[str], rows: Rows, sheet: str = "Data"
) -> Response:
    """Write rows to an XLSX file on disk in write-only mode (flat memory) and send it."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(list(header))
    for row in rows():
        worksheet.append([_cell(value) for value in row])
    # send_file closes the spool once the response is sent.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return send_file(
        spool,
        mimetype=XLSX_TYPE,
        as_attachment=True,
        download_name=f"{safe_filename(filename)}.xlsx",
    )


def download(fmt: str, filename: str, header: Sequence[str], rows: Rows):
    """Return the rows as a CSV or XLSX download; ``rows`` makes the row iterator."""
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows)
    return csv_response(filename, header, rows)
