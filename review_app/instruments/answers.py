"""Check and normalise one answer against its question: the same rules for pages and files."""

from datetime import date
from typing import Any

from review_app.instruments.model import Instrument
from review_app.instruments.schema import Column, Question

EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
MAX_ROWS = 100


class AnswerError(ValueError):
    """An answer does not fit its question; the message says how."""


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _choices(instrument: Instrument, question: Question | Column, allowed: list[str]) -> str:
    """Name the answers a choice or multi question takes by their labels (yes/no by code)."""
    if question.kind not in ("choice", "multi"):
        return ", ".join(allowed)
    return ", ".join(label for _, label in instrument.options(question))


def parse(instrument: Instrument, question: Question | Column, raw: Any) -> Any:
    """Return the normalised answer (None when empty) or raise AnswerError."""
    if _empty(raw):
        return None
    kind = question.kind
    if kind in ("yes_no_na", "yes_no", "choice"):
        allowed = _allowed(instrument, question)
        value = str(raw).strip().lower() if kind != "choice" else str(raw).strip()
        if value not in allowed:
            raise AnswerError(f"choose one of {_choices(instrument, question, allowed)}")
        return value
    if kind == "multi":
        values = raw if isinstance(raw, list) else [raw]
        allowed = _allowed(instrument, question)
        unknown = [str(v) for v in values if v not in allowed]
        if unknown:
            wrong = ", ".join(unknown)
            raise AnswerError(
                f"{wrong} is not among the choices; choose from "
                f"{_choices(instrument, question, allowed)}"
            )
        return [v for v in allowed if v in values]  # instrument order, no repeats
    if kind == "number":
        return _number(question, raw)
    if kind == "date":
        return _date(raw)
    if kind == "text":
        text = str(raw).strip()
        limit = getattr(question, "max_length", 4000)
        if len(text) > limit:
            raise AnswerError(f"use at most {limit} characters (this has {len(text)})")
        return text
    if kind == "table":
        assert isinstance(question, Question)  # a column is never a table (schema)
        return _table(instrument, question, raw)
    raise AnswerError(f"unknown question kind {kind}")


def _allowed(instrument: Instrument, question: Question | Column) -> list[str]:
    return [value for value, _label in instrument.options(question)]


def _number(question: Question | Column, raw: Any) -> int:
    if isinstance(raw, bool):
        raise AnswerError("give a whole number")
    try:
        value = int(str(raw).strip()) if not isinstance(raw, int) else raw
    except ValueError:
        raise AnswerError("give a whole number, such as 0 or 3") from None
    low, high = getattr(question, "min", None), getattr(question, "max", None)
    low = 0 if low is None else low
    high = 10_000 if high is None else high
    if not low <= value <= high:
        raise AnswerError(f"give a number from {low:g} to {high:g}")
    return value


def _date(raw: Any) -> str:
    try:
        value = raw if isinstance(raw, date) else date.fromisoformat(str(raw).strip())
    except ValueError:
        raise AnswerError("give a date as YYYY-MM-DD") from None
    if not EARLIEST <= value <= LATEST:
        raise AnswerError(f"give a date between {EARLIEST.year} and {LATEST.year}")
    return value.isoformat()


def _table(instrument: Instrument, question: Question, raw: Any) -> list[dict[str, Any]] | None:
    assert question.columns is not None  # a table question has columns (schema)
    if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
        raise AnswerError("give a list of rows")
    if len(raw) > MAX_ROWS:
        raise AnswerError(f"use at most {MAX_ROWS} rows")
    rows, faults = [], []
    for number, row in enumerate(raw, start=1):
        unknown = set(row) - {column.id for column in question.columns}
        if unknown:
            faults.append(f"row {number}: unknown column(s) {', '.join(sorted(unknown))}")
        clean = {}
        for column in question.columns:
            try:
                clean[column.id] = parse(instrument, column, row.get(column.id))
            except AnswerError as error:
                faults.append(f"row {number}, {column.text}: {error}")
                continue
            if (
                clean[column.id] is None
                and not column.optional
                and any(not _empty(v) for v in row.values())
            ):
                faults.append(f"row {number}, {column.text}: required")
        if any(value is not None for value in clean.values()):
            rows.append(clean)
    if faults:
        raise AnswerError("; ".join(faults))
    return rows or None
