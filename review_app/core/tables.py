"""Read an uploaded table (CSV, or XLSX where allowed) within stated limits.

Every importer reads through ``read_table``. It stops at the first limit passed,
while reading, so that no upload holds a worker for more than a moment: the
file's size, the rows after the header, the blank lines around them, the
characters of any one cell and of all cells together, and for a workbook the
size it would expand to once unzipped (a small zip can unpack to gigabytes).
"""

import csv
import io
import os
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app, has_app_context
from openpyxl import load_workbook

from review_app.core.errors import OperationError

# The csv module stops at cells over 131,072 characters with an error of its own.
# This module checks cell lengths itself (and names the line and column), so the
# module's limit is raised, once, past any file an importer accepts.
LARGEST_UPLOAD = 20_000_000
csv.field_size_limit(max(csv.field_size_limit(), LARGEST_UPLOAD))

# The time budget of one read where the application does not set IMPORT_READ_SECONDS.
DEFAULT_SECONDS = 5.0

Row = dict[str, Any]  # {"_line": int, "_extra": bool, column: str | date, ...}


@dataclass(frozen=True)
class Limits:
    """What one importer accepts; every figure is checked while the file is read."""

    rows: int  # rows after the header, blank rows not counted
    bytes: int  # size of the uploaded file
    cell: int = 10_000  # characters of one cell
    blank_lines: int = 1_000  # blank lines tolerated beside the rows
    # A workbook: the size of all its parts once unzipped, of any one part (the
    # shared strings are read whole before the first row), and how much smaller
    # than that any part larger than 1 MB may be in the zip. 5,000 rows of a dozen
    # columns unpack to 3 to 6 MB; openpyxl parses about 1 MB a second.
    expanded_bytes: int = 16_000_000
    part_bytes: int = 8_000_000
    strings_bytes: int = 4_000_000
    ratio: int = 100
    # Reading stops past this many seconds, whatever the file holds; None: the
    # application's IMPORT_READ_SECONDS (5 unless configured).
    seconds: float | None = None
    # Cells of one line: a header or row wider than this is refused before its cells are read.
    cells_per_line: int = 1_000

    @property
    def lines(self) -> int:
        return self.rows + 1 + self.blank_lines


class TableError(OperationError):
    """The file cannot be read as a table within the limits; nothing was imported."""

    messages: list[str]  # set when there are several faults, one line each


def read_table(
    filename: str,
    data: bytes,
    columns: tuple[str, ...],
    optional: tuple[str, ...],
    limits: Limits,
    *,
    xlsx: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> list[Row]:
    """Return the non-blank rows keyed by the header's column names; raise TableError.

    Each row carries its ``_line`` and ``_extra`` (more values than columns), so
    that the importer can list it with every other bad row. ``clock`` measures the
    time budget (a test passes one it moves itself).
    """
    name = _display_name(filename)
    if len(data) > limits.bytes:
        raise TableError(
            f"“{name}” is larger than {_mb(limits.bytes)}: split it into smaller files "
            "and import each one.",
            "file",
        )
    is_xlsx = xlsx and filename.lower().endswith(".xlsx")
    width = len(columns) + len(optional) + 5  # cells past this are never read
    lines = _xlsx_lines(name, data, limits, width) if is_xlsx else _csv_lines(name, data)
    header: list[str] | None = None
    rows: list[Row] = []
    characters = 0
    seconds = _budget(limits)
    deadline = clock() + seconds
    for number, cells in lines:
        if len(cells) > limits.cells_per_line:
            raise TableError(
                f"Line {number} of “{name}” has {len(cells):,} cells; an import has at most "
                f"{len(columns) + len(optional)} columns. Remove the extra columns and import "
                "the file again.",
                "file",
            )
        if clock() > deadline:
            raise TableError(
                f"“{name}” took too long to read (more than {seconds:g} seconds, up to "
                f"line {number}). Save the sheet as CSV, or split it, and import that instead.",
                "file",
            )
        for index, cell in enumerate(cells):
            if isinstance(cell, str):
                if len(cell) > limits.cell:
                    column = header[index] if header and index < len(header) else index + 1
                    raise TableError(
                        f"Line {number}, column {column}: the cell is longer than "
                        f"{limits.cell:,} characters (in “{name}”). Shorten it; a quote mark "
                        "that is never closed also runs the rest of the file into one cell.",
                        "file",
                    )
                characters += len(cell)
        if characters > limits.bytes:
            raise TableError(
                f"“{name}” holds more than {limits.bytes:,} characters of text: split it "
                "into smaller files and import each one.",
                "file",
            )
        if number > limits.lines or len(rows) > limits.rows:
            raise TableError(
                f"“{name}” has more than {limits.rows:,} rows: split it into files of at "
                f"most {limits.rows:,} rows and import each one.",
                "file",
            )
        if not any(cell != "" for cell in cells):
            continue
        if header is None:
            header = _header(cells, columns, optional)
            continue
        row: Row = {"_line": number, "_extra": False}
        for index, cell in enumerate(cells):
            if index < len(header) and header[index]:
                row[header[index]] = cell
            elif cell != "":
                row["_extra"] = True
        for column in columns + optional:
            row.setdefault(column, "")
        rows.append(row)
    if header is None:
        raise TableError("The file is empty.", "file")
    if len(rows) > limits.rows:
        raise TableError(
            f"“{name}” has more than {limits.rows:,} rows: split it into files of at "
            f"most {limits.rows:,} rows and import each one.",
            "file",
        )
    if not rows:
        raise TableError("The file has a header but no rows.", "file")
    return rows


def _budget(limits: Limits) -> float:
    """Return the seconds reading may take: the importer's own, else the application's."""
    if limits.seconds is not None:
        return limits.seconds
    return current_app.config["IMPORT_READ_SECONDS"] if has_app_context() else DEFAULT_SECONDS


def _header(cells: list[Any], columns: tuple[str, ...], optional: tuple[str, ...]) -> list[str]:
    header = [str(cell).strip().lower().replace(" ", "_") for cell in cells]
    while header and not header[-1]:
        header.pop()
    missing = [name for name in columns if name not in header]
    unknown = [name for name in header if name and name not in columns + optional]
    counts = Counter(name for name in header if name)
    twice = sorted(name for name, count in counts.items() if count > 1)
    faults = []
    if missing:
        faults.append(f"Line 1: the header lacks the column(s) {', '.join(missing)}.")
    if unknown:
        named = ", ".join(name[:40] for name in unknown[:10]) + (" …" if len(unknown) > 10 else "")
        faults.append(f"Line 1: unknown column(s) {named}; use {', '.join(columns + optional)}.")
    if twice:
        named = ", ".join(name[:40] for name in twice[:10]) + (" …" if len(twice) > 10 else "")
        faults.append(f"Line 1: the column(s) {named} appear more than once.")
    if faults:
        error = TableError(" ".join(faults), "file")
        error.messages = faults
        raise error
    return header


def messages(error: TableError) -> list[str]:
    """Return the error as the list of lines an import page shows."""
    return list(getattr(error, "messages", [error.message]))


def _csv_lines(name: str, data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            f"“{name}” is not UTF-8 text: line {_line_at(data, exc.start)} has a character "
            "that is not. Save it as “CSV UTF-8” and import it again.",
            "file",
        ) from None
    if "\x00" in text:
        line = _line_at(text.encode(), text.encode().index(b"\x00"))
        raise TableError(
            f"“{name}” contains NUL characters (first on line {line}): save it again as plain CSV.",
            "file",
        )
    # newline="" splits lines at \n, \r\n and a bare \r (old Excel for Mac) alike, and
    # leaves line ends inside quoted cells to the csv reader.
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TableError(
                f"Line {start} of “{name}” cannot be read as CSV ({exc}): check its quote marks.",
                "file",
            ) from None
        yield start, [cell.strip() for cell in cells]


def _line_at(data: bytes, offset: int) -> int:
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _xlsx_lines(
    name: str, data: bytes, limits: Limits, width: int
) -> Iterator[tuple[int, list[str | date]]]:
    unreadable = TableError(
        f"“{name}” is not a readable .xlsx workbook: save it again from your spreadsheet "
        "program, or as CSV.",
        "file",
    )
    _check_zip(name, data, limits, unreadable)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise unreadable from None
    try:
        sheet = book.active
        if sheet is None or not hasattr(sheet, "iter_rows"):
            raise unreadable
        # Bounds given here, not read from the sheet: a sheet can declare a million rows.
        values = sheet.iter_rows(max_row=limits.lines + 1, max_col=width, values_only=True)
        for number, cells in enumerate(values, start=1):
            yield number, [_xlsx_cell(value) for value in cells]
    except TableError:
        raise
    except Exception:
        raise unreadable from None
    finally:
        book.close()


def _check_zip(name: str, data: bytes, limits: Limits, unreadable: TableError) -> None:
    """Refuse a workbook that would unpack past the limits, before anything is unpacked."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise unreadable from None
    expanded = sum(part.file_size for part in parts)
    squeezed = any(
        part.file_size > 1_000_000 and part.file_size > limits.ratio * max(part.compress_size, 1)
        for part in parts
    )
    oversized = any(
        part.file_size > limits.part_bytes
        or (
            part.filename.lower().endswith("sharedstrings.xml")
            and part.file_size > limits.strings_bytes
        )
        for part in parts
    )
    if len(parts) > 500 or expanded > limits.expanded_bytes or squeezed or oversized:
        raise TableError(
            f"“{name}” would unpack to more than {_mb(limits.expanded_bytes)} (or one part of it "
            f"to more than {_mb(limits.part_bytes)}), or is packed more than {limits.ratio} "
            f"times tighter, than a spreadsheet of {limits.rows:,} rows can be. Save the sheet "
            "as CSV and import that instead.",
            "file",
        )


def _xlsx_cell(value: object) -> str | date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return "" if value is None else str(value).strip()


def _display_name(filename: str) -> str:
    base = os.path.basename(filename.replace("\\", "/")).strip()
    return (base[:80] + "…") if len(base) > 80 else (base or "the file")


def _mb(size: int) -> str:
    return f"{size / 1_000_000:g} MB"
