"""The shared reader of uploaded tables stops at its limits while it reads."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from review_app.core.tables import Limits, TableError, read_table

COLUMNS, OPTIONAL = ("a", "b"), ("c",)
LIMITS = Limits(rows=100, bytes=1_000_000, cell=50, blank_lines=10, expanded_bytes=5_000_000)


def _read(data: bytes, name="t.csv", limits=LIMITS):
    return read_table(name, data, COLUMNS, OPTIONAL, limits, xlsx=True)


def _workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace_sheet(data: bytes, sheet: bytes) -> bytes:
    """Return the workbook with its first sheet's XML replaced (as a hostile file would be)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            body = sheet if part.filename == "xl/worksheets/sheet1.xml" else source.read(part)
            target.writestr(part.filename, body)
    return out.getvalue()


def _sheet_xml(
    rows: int, dimension: str = "A1:XFD1048576", padding: int = 0, header=("a", "b")
) -> bytes:
    """A sheet of ``rows`` tiny rows under ``header``, claiming ``dimension``."""
    names = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for i, name in enumerate(header)
    )
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData><row r="1">{names}</row>'
    )
    body = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>1</v></c></row>'
        for n in range(2, rows + 2)
    )
    return (head + body + " " * padding + "</sheetData></worksheet>").encode()


def test_line_ends_of_every_kind_read_alike():
    for end in ("\n", "\r\n", "\r"):
        rows = _read(end.join(["a,b", "1,2", '"x', 'y",3', ""]).encode())
        assert [(r["_line"], r["a"], r["b"]) for r in rows] == [(2, "1", "2"), (3, f"x{end}y", "3")]


def test_a_byte_order_mark_is_dropped_and_blank_rows_skipped():
    rows = _read("\ufeffA,B\n1,2\n,\n\n".encode())
    assert [(r["a"], r["b"], r["c"]) for r in rows] == [("1", "2", "")]


def test_a_long_cell_is_named_by_line_and_column():
    with pytest.raises(TableError, match=r"Line 3, column b: the cell is longer than 50 "):
        _read(b"a,b\n1,2\n1," + b"x" * 200_000 + b"\n")


def test_more_rows_than_the_limit_are_refused_while_reading():
    with pytest.raises(TableError, match=r"“t.csv” has more than 100 rows"):
        _read(b"a,b\n" + b"1,2\n" * 101)
    assert len(_read(b"a,b\n" + b"1,2\n" * 100)) == 100
    with pytest.raises(TableError, match="more than 100 rows"):
        _read(b"a,b\n" + b"\n" * 200 + b"1,2\n")


def test_undecodable_bytes_are_named_by_line():
    with pytest.raises(TableError, match="line 3 has a character"):
        _read(b"a,b\r1,2\r\xff,3\r")


def test_a_sheet_declaring_a_million_rows_and_columns_is_read_quickly():
    data = _replace_sheet(_workbook([["a", "b"]]), _sheet_xml(3))
    # CPU time: what the reading costs, however busy the machine is.
    started = time.process_time()
    assert [r["a"] for r in _read(data, "t.xlsx")] == ["2", "3", "4"]
    assert time.process_time() - started < 5


def test_a_small_workbook_of_many_rows_is_refused_at_the_row_limit():
    data = _replace_sheet(_workbook([["a", "b"]]), _sheet_xml(60_000))
    assert len(data) < 1_000_000
    started = time.process_time()
    with pytest.raises(TableError, match="more than 100 rows"):
        _read(data, "t.xlsx", Limits(rows=100, bytes=1_000_000, expanded_bytes=50_000_000))
    assert time.process_time() - started < 5


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    data = _replace_sheet(_workbook([["a", "b"]]), _sheet_xml(3, padding=60_000_000))
    assert len(data) < 200_000
    started = time.process_time()
    with pytest.raises(TableError, match="would unpack to more than 5 MB"):
        _read(data, "t.xlsx")
    assert time.process_time() - started < 5


def test_a_workbook_packed_too_tightly_is_refused():
    data = _replace_sheet(_workbook([["a", "b"]]), _sheet_xml(3, padding=3_000_000))
    with pytest.raises(TableError, match="packed more than 100 times tighter"):
        _read(data, "t.xlsx")


def test_a_header_with_more_columns_than_allowed_is_refused():
    with pytest.raises(TableError, match="unknown column"):
        _read(_workbook([["a", "b", "c", "d"], [1, 2, 3, 4]]), "t.xlsx")


def test_the_text_of_all_cells_together_is_bounded():
    limits = Limits(rows=10_000, bytes=1_000_000, cell=100)
    data = _workbook([["a", "b"]] + [["x" * 90, "y" * 90]] * 6_000)
    with pytest.raises(TableError, match="more than 1,000,000 characters"):
        _read(data, "t.xlsx", limits)


def test_a_header_of_very_many_columns_is_refused_quickly():
    header = ",".join(f"col{n}" for n in range(200_000)) + ",a,a"
    started = time.process_time()
    with pytest.raises(TableError) as refused:
        _read(f"{header}\n1,2\n".encode(), limits=Limits(rows=10, bytes=5_000_000))
    assert time.process_time() - started < 5
    assert "has 200,002 cells" in refused.value.message
    assert len(refused.value.message) < 1_000


def test_a_wide_sheet_within_the_total_is_refused_by_its_part_size():
    limits = Limits(rows=5_000, bytes=5_000_000)
    cells = "".join(f'<c r="C{n}"><v>{n}</v></c>' for n in range(1, 2_000))
    sheet = _sheet_xml(0).replace(
        b"</sheetData>", f'<row r="2">{cells}</row>'.encode() * 250 + b"</sheetData>"
    )
    assert 8_000_000 < len(sheet) < 16_000_000
    started = time.process_time()
    with pytest.raises(TableError, match="one part of it to more than 8 MB"):
        _read(_replace_sheet(_workbook([["a", "b"]]), sheet), "t.xlsx", limits)
    assert time.process_time() - started < 5


class _TickingClock:
    """A clock that moves one second each time it is read: a slow read without waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_reading_stops_when_it_takes_too_long():
    limits = Limits(rows=50_000, bytes=5_000_000, seconds=5)
    data = _replace_sheet(_workbook([["a", "b"]]), _sheet_xml(400, dimension="A1:B401"))
    with pytest.raises(
        TableError, match=r"took too long to read \(more than 5 seconds, up to line 6\)"
    ):
        read_table("t.xlsx", data, COLUMNS, OPTIONAL, limits, xlsx=True, clock=_TickingClock())
    assert len(read_table("t.xlsx", data, COLUMNS, OPTIONAL, limits, xlsx=True)) == 400


def test_the_time_budget_is_the_applications_unless_the_importer_sets_its_own():
    from flask import Flask

    app = Flask(__name__)
    app.config["IMPORT_READ_SECONDS"] = 3
    data = b"a,b\n" + b"1,2\n" * 50
    with app.app_context(), pytest.raises(TableError, match="more than 3 seconds"):
        read_table("t.csv", data, COLUMNS, OPTIONAL, LIMITS, clock=_TickingClock())
    with pytest.raises(TableError, match="more than 5 seconds"):  # outside an app: the default
        read_table("t.csv", data, COLUMNS, OPTIONAL, LIMITS, clock=_TickingClock())


def test_a_line_of_too_many_cells_is_refused_before_its_cells_are_read():
    line = ",".join(["x"] * 1_500)
    with pytest.raises(TableError, match="has 1,500 cells"):
        _read(f"a,b\n{line}\n".encode())
