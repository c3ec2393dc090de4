"""Questions with several answers per case, in SQL: a multi-select's boxes, a table's rows.

A multi-select is stored as a JSON list of codes, a table as a JSON list of row
objects. ``list_answers`` joins (outer) the stored answer where the question is
asked (answers.py), through the case's own (case, question) index, then its
elements, one row per element with an answer (a box, or a column's value in a
row): a case counts once under each of its answers, and as "No answer" when it
has none or the question is not asked. Two rows with the same value give two
rows: the table counts distinct cases, and a case list lists distinct rows, for
an axis with ``several`` answers (queries.py). ``json_elements`` and
``element_text`` write the JSON functions of each database (SQLite's
``json_each``, PostgreSQL's ``json_array_elements``).
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import String, and_, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from review_app.analysis.answers import EffectiveAnswers, Join
from review_app.cases.models import Case
from review_app.instruments.model import Instrument
from review_app.ratings.models import Answer


class json_elements(FunctionElement[Any]):
    """SQL, table-valued: the elements of a stored JSON list (none for anything else)."""

    inherit_cache = True


@compiles(json_elements)
def _elements_sqlite(element: json_elements, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return f"json_each(CASE WHEN json_type({value}) = 'array' THEN {value} ELSE '[]' END)"


@compiles(json_elements, "postgresql")
def _elements_postgresql(element: json_elements, compiler: Any, **kw: Any) -> str:
    value = f"CAST({compiler.process(element.clauses, **kw)} AS json)"
    return (
        f"json_array_elements(CASE WHEN json_typeof({value}) = 'array' "
        f"THEN {value} ELSE CAST('[]' AS json) END)"
    )


class element_text(FunctionElement[str]):
    """SQL: an element of a JSON list as text; with a key, that key of a row object."""

    type = String()
    inherit_cache = True


def _parts(element: element_text, compiler: Any, **kw: Any) -> tuple[str, str | None]:
    clauses = list(element.clauses)
    key = compiler.process(clauses[1], **kw) if len(clauses) > 1 else None
    return compiler.process(clauses[0], **kw), key


@compiles(element_text)
def _text_sqlite(element: element_text, compiler: Any, **kw: Any) -> str:
    value, path = _parts(element, compiler, **kw)
    if path is None:
        return value  # json_each gives a text element as itself
    return (
        f"CASE WHEN json_valid({value}) AND json_type({value}) = 'object' "
        f"THEN json_extract({value}, {path}) END"
    )


@compiles(element_text, "postgresql")
def _text_postgresql(element: element_text, compiler: Any, **kw: Any) -> str:
    value, key = _parts(element, compiler, **kw)
    if key is None:
        return f"({value} #>> '{{}}')"
    return f"CASE WHEN json_typeof({value}) = 'object' THEN {value} ->> {key} END"


class _key(FunctionElement[str]):
    """A row object's key: a JSON path on SQLite, the bare key on PostgreSQL."""

    type = String()
    inherit_cache = True


@compiles(_key)
def _key_sqlite(element: _key, compiler: Any, **kw: Any) -> str:
    return f"('$.\"' || {compiler.process(element.clauses, **kw)} || '\"')"


@compiles(_key, "postgresql")
def _key_postgresql(element: _key, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


def list_answers(
    instrument: Instrument, question_id: str, column_id: str | None = None
) -> Callable[[str], tuple[Any, list[Join]]]:
    """Read a multi-select question (or, with ``column_id``, a table's column) as an
    axis with several answers per case: the answer, and the outer joins it needs."""

    def read(name: str) -> tuple[Any, list[Join]]:
        answers = EffectiveAnswers(instrument, name)
        asked = answers.asked(question_id)
        row = aliased(Answer, name=f"{name}_list")
        elements = json_elements(row.value).table_valued("value").alias(f"{name}_elements")
        if column_id is None:
            text: Any = element_text(elements.c.value)
        else:
            text = element_text(elements.c.value, _key(literal(column_id, String)))
        on = and_(row.case_id == Case.id, row.question_id == question_id, asked)
        joins = [*answers.joins, (row, on), (elements, and_(text.is_not(None), text != ""))]
        return text, joins

    return read
