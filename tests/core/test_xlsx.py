"""The streamed XLSX writer: what a spreadsheet program reads back, and that it streams."""

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from review_app.core.xlsx import workbook_chunks


def _read(rows, sheet="Data"):
    book = load_workbook(io.BytesIO(b"".join(workbook_chunks(iter(rows), sheet))))
    return book.active.title, list(book.active.iter_rows(values_only=True))


def test_values_come_back_with_their_types():
    rows = [
        ["text", "number", "decimal", "yes", "day", "moment"],
        ["a < b & c", 3, Decimal("1.25"), True, date(2025, 3, 1), datetime(2025, 3, 1, 13, 30)],
        [None, "", 2.5, False, "ünïcode", "  spaced  "],
    ]
    title, found = _read(rows)
    assert title == "Data"
    assert found[0] == tuple(rows[0])
    assert found[1] == (
        "a < b & c",
        3,
        1.25,
        True,
        datetime(2025, 3, 1),
        datetime(2025, 3, 1, 13, 30),
    )
    assert found[2] == (None, None, 2.5, False, "ünïcode", "  spaced  ")


def test_characters_xml_cannot_hold_are_left_out_and_the_sheet_name_is_made_valid():
    title, found = _read([["bell\x07 and\x0bvertical tab"]], sheet="Q1: [draft]/final?")
    assert found == [("bell and" + "vertical tab",)]
    assert title == "Q1 draftfinal"


def test_the_file_starts_before_the_rows_are_all_read():
    read = []

    def rows():
        for n in range(10_000):
            read.append(n)
            yield [n, f"row {n}"]

    chunks = workbook_chunks(rows())
    first = next(chunks)
    assert first.startswith(b"PK")
    assert len(read) < 10_000
    rest = b"".join(chunks)
    book = load_workbook(io.BytesIO(first + rest), read_only=True)
    assert sum(1 for _ in book.active.iter_rows()) == 10_000


def test_more_sheets_follow_the_first_in_order_with_distinct_names():
    data = b"".join(
        workbook_chunks(
            iter([["Case number"], ["2026-1"]]),
            "Data",
            more=[("Questions", [["Column", "Key"], ["Case number", "case_number"]]), ("Data", [])],
        )
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Data", "Questions", "Data (2)"]
    assert book.active.title == "Data"
    assert list(book["Questions"].iter_rows(values_only=True)) == [
        ("Column", "Key"),
        ("Case number", "case_number"),
    ]
