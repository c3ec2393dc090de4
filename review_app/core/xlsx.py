"""XLSX written as it is sent: one worksheet whose rows are turned into XML on the fly.

An XLSX file is a zip of XML parts. The fixed parts are written here; the
worksheet's rows are encoded while they are read, and stream-zip compresses and
frames them as they come, so the first bytes leave at once and memory does not
grow with the number of rows. Strings are written inline (no shared-string
table, which would have to be complete before the sheet); dates and times are
numbers with a date format, as spreadsheet programs store them.
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from stream_zip import ZIP_32, MemberFile, stream_zip

# Characters XML 1.0 does not allow; a spreadsheet program would refuse the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_EPOCH = datetime(1899, 12, 30)  # day 0 of the 1900 date system, as Excel counts it
_DATE_STYLE, _DATETIME_STYLE = 1, 2  # indexes into cellXfs below
_ROWS_PER_CHUNK = 100

_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _relations(*targets: tuple[str, str]) -> str:
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELATIONS}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, 1)
    )
    return f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">{links}</Relationships>'


def _content_types(sheets: int) -> str:
    worksheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="{_PACKAGE}/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f"{worksheets}"
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
        "</Types>"
    )


def _workbook(names: list[str]) -> str:
    """The workbook part: its sheets in order, sheet n linked as rId n (styles come after)."""
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, 1)
    )
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONS}">'
        f"<sheets>{sheets}</sheets></workbook>"
    )


_ROOT_RELS = _relations(("officeDocument", "xl/workbook.xml"))
# Cell formats: 0 plain, 1 a date (built-in number format 14), 2 a date and time (22).
_XF = '<xf numFmtId="{}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="3">{_XF.format(0)}{_XF.format(14)}{_XF.format(22)}</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>'
_SHEET_END = "</sheetData></worksheet>"


def _serial(value: datetime) -> str:
    return repr((value - _EPOCH).total_seconds() / 86400)


def _cell(ref: str, value: object) -> str:
    """Return one cell's XML ('' for an empty cell)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime):
        plain = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        return f'<c r="{ref}" s="{_DATETIME_STYLE}"><v>{_serial(plain)}</v></c>'
    if isinstance(value, date):
        day = datetime.combine(value, time())
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{_serial(day)}</v></c>'
    text = escape(_NOT_XML.sub("", str(value)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet(rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    yield _SHEET_START.encode()
    letters: list[str] = []
    lines: list[str] = []
    for number, row in enumerate(rows, 1):
        while len(letters) < len(row):
            letters.append(get_column_letter(len(letters) + 1))
        cells = "".join(_cell(f"{letters[i]}{number}", value) for i, value in enumerate(row))
        lines.append(f'<row r="{number}">{cells}</row>')
        if len(lines) == _ROWS_PER_CHUNK:
            yield "".join(lines).encode()
            lines.clear()
    yield ("".join(lines) + _SHEET_END).encode()


def _sheet_name(name: str) -> str:
    return _NOT_IN_SHEET_NAMES.sub("", _NOT_XML.sub("", name))[:31] or "Data"


def _unique_names(names: list[str]) -> list[str]:
    found: list[str] = []
    for name in names:
        base, n = _sheet_name(name), 2
        name = base
        while name.lower() in (f.lower() for f in found):
            name = f"{base[:27]} ({n})"
            n += 1
        found.append(name)
    return found


def workbook_chunks(
    rows: Iterable[Sequence[Any]],
    sheet: str = "Data",
    more: Sequence[tuple[str, Iterable[Sequence[Any]]]] = (),
) -> Iterator[bytes]:
    """Yield an XLSX file, as it is written: a sheet named ``sheet`` holding ``rows`` first,
    then each (name, rows) of ``more`` (a codebook beside the data, say)."""
    now = datetime.now()
    sheets = [(sheet, rows), *more]
    names = _unique_names([name for name, _ in sheets])
    links = [("worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(sheets) + 1)]
    fixed = [
        ("[Content_Types].xml", _content_types(len(sheets))),
        ("_rels/.rels", _ROOT_RELS),
        ("xl/workbook.xml", _workbook(names)),
        ("xl/_rels/workbook.xml.rels", _relations(*links, ("styles", "styles.xml"))),
        ("xl/styles.xml", _STYLES),
    ]
    parts: list[MemberFile] = [(name, now, 0o600, ZIP_32, (text.encode(),)) for name, text in fixed]
    for n, (_, sheet_rows) in enumerate(sheets, 1):
        parts.append((f"xl/worksheets/sheet{n}.xml", now, 0o600, ZIP_32, _sheet(sheet_rows)))
    return iter(stream_zip(parts))
