"""The analysis table, the cases behind a cell, and the saved analyses: reads only.

The table is ONE grouped statement, whatever the questions: the cases the
filters pick, each question's answer joined on (outer, so a case without an
answer counts as "No answer"), grouped by the two answers. Totals and
percentages are added up in Python from its few rows.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased, joinedload

from review_app.analysis.models import SavedAnalysis
from review_app.analysis.sources import Axis, Join
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.performance.privacy import complementary, fewer_than
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import LocalSite

Position = tuple[str | None, str | None]


@dataclass
class Crosstab:
    """Case counts by the answers to two questions, with totals and percentages.

    ``minimum`` is the site's small-cell minimum: a count under it (a cell, a total)
    is shown as "fewer than N", and so is every percentage that would give it away
    (the ``shown_*`` methods; see performance/privacy.py and the README).
    """

    rows: Axis
    columns: Axis
    cells: dict[tuple[str, str], int] = field(default_factory=dict)
    minimum: int = 1

    def count(self, row: str, column: str) -> int:
        return self.cells.get((row, column), 0)

    def row_total(self, row: str) -> int:
        return sum(n for (r, _c), n in self.cells.items() if r == row)

    def column_total(self, column: str) -> int:
        return sum(n for (_r, c), n in self.cells.items() if c == column)

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def row_percent(self, row: str, column: str) -> float | None:
        whole = self.row_total(row)
        return 100.0 * self.count(row, column) / whole if whole else None

    def column_percent(self, row: str, column: str) -> float | None:
        whole = self.column_total(column)
        return 100.0 * self.count(row, column) / whole if whole else None

    def _value(self, row: str | None, column: str | None) -> int:
        if row is None and column is None:
            return self.total
        if row is None:
            return self.column_total(str(column))
        if column is None:
            return self.row_total(row)
        return self.count(row, column)

    @cached_property
    def hidden(self) -> frozenset[Position]:
        """The places shown as "fewer than N": (row, column), None standing for a total.

        Every count under the minimum, and then, wherever a row or a column (its
        cells and its total) has exactly one hidden count, the smallest other count
        above zero too: the total less the cells shown would give the hidden one
        back. Repeated until no line gives one back (complementary suppression).
        """
        rows = [code for code, _ in self.rows.codes()]
        columns = [code for code, _ in self.columns.codes()]
        every_row: list[str | None] = [*rows, None]
        lines = [[(row, column) for column in [*columns, None]] for row in every_row]
        lines += [[(row, column) for row in every_row] for column in [*columns, None]]
        hidden: set[Position] = set()
        changed = True
        while changed:
            before = len(hidden)
            for line in lines:
                hidden |= complementary({p: self._value(*p) for p in line}, self.minimum, hidden)
            changed = len(hidden) > before
        return frozenset(hidden)

    def hides_at(self, row: str | None, column: str | None) -> bool:
        """Tell whether the count at a place (a cell, a total: None) is hidden."""
        return (row, column) in self.hidden

    def shown_at(self, row: str | None, column: str | None) -> str:
        """Return the count at a place as shown: the number, or "fewer than N"."""
        if self.hides_at(row, column):
            return fewer_than(self.minimum)
        return str(self._value(row, column))

    def shown_row_percent(self, row: str, column: str) -> float | None:
        """The cell's share of its row; None when there is none or it would reveal a
        hidden count (the cell's, from the row total, or the row total's, from the cell)."""
        if self.hides_at(row, column) or self.hides_at(row, None):
            return None
        return self.row_percent(row, column)

    def shown_column_percent(self, row: str, column: str) -> float | None:
        """The cell's share of its column; None as for ``shown_row_percent``."""
        if self.hides_at(row, column) or self.hides_at(None, column):
            return None
        return self.column_percent(row, column)

    @property
    def all_hidden(self) -> bool:
        """Tell whether cases were counted but every cell that has any is hidden."""
        return self.total > 0 and all(
            self.hides_at(row, column) for (row, column), n in self.cells.items() if n
        )


def _answers(rows: Axis, columns: Axis) -> tuple[Any, Any, list[Join]]:
    """Return both questions' answer expressions and the outer joins they read."""
    row_answer, row_joins = rows.read("r")
    column_answer, column_joins = columns.read("c")
    return row_answer, column_answer, row_joins + column_joins


def _outer(statement: Select[Any], joins: list[Join]) -> Select[Any]:
    for target, on in joins:
        statement = statement.outerjoin(target, on)
    return statement


def crosstab_statement(
    rows: Axis, columns: Axis, conditions: list[ColumnElement[bool]]
) -> Select[Any]:
    """Return the grouped statement: (row answer, column answer, cases).

    The answers are named in a subquery and grouped by name: an answer's expression
    carries bound values, and PostgreSQL would not see two copies of it as one.
    """
    row_answer, column_answer, joins = _answers(rows, columns)
    statement = select(
        Case.id.label("case_id"),
        row_answer.label("row_answer"),
        column_answer.label("column_answer"),
    )
    answers = _outer(statement.select_from(Case), joins).where(*conditions).subquery("answers")
    # A list question may give a case the same answer twice (two rows in foster homes).
    cases = func.count(answers.c.case_id.distinct()) if _several(rows, columns) else func.count()
    return select(answers.c.row_answer, answers.c.column_answer, cases).group_by(
        answers.c.row_answer, answers.c.column_answer
    )


def _several(rows: Axis, columns: Axis) -> bool:
    return bool(rows.several or columns.several)


def crosstab(
    rows: Axis, columns: Axis, conditions: list[ColumnElement[bool]], minimum: int = 1
) -> Crosstab:
    """Return the table of the cases ``conditions`` pick (one statement).

    ``minimum``: the site's small-cell minimum (1 hides nothing).
    """
    table = Crosstab(rows, columns, minimum=minimum)
    for row_answer, column_answer, count in db.session.execute(
        crosstab_statement(rows, columns, conditions)
    ):
        key = (rows.code_of(row_answer), columns.code_of(column_answer))
        table.cells[key] = table.cells.get(key, 0) + int(count)
    return table


@dataclass(frozen=True)
class Cell:
    """Which cases of the table a list is for: a cell, a row or column total (None: any)."""

    row: str | None = None
    column: str | None = None


def cases_in(
    rows: Axis,
    columns: Axis,
    conditions: list[ColumnElement[bool]],
    cell: Cell,
    limit: int | None = None,
) -> Iterator[tuple[int, str, str, str, str, str, str]]:
    """Yield (case id, number, case type, local site, period, row answer, column answer).

    One statement; the answers come as codes of the questions (see ``Axis.codes``).
    The period is joined under another name: a child's age reads the case's own
    period in a subquery, which would otherwise correlate with this join.
    """
    row_answer, column_answer, joins = _answers(rows, columns)
    period = aliased(ReviewPeriod, name="listed_period")
    statement = select(
        Case.id.label("id"),
        Case.case_number.label("number"),
        Case.case_type.label("case_type"),
        LocalSite.name.label("local"),
        period.name.label("period"),
        row_answer.label("row_answer"),
        column_answer.label("column_answer"),
    ).select_from(Case)
    statement = (
        _outer(statement, joins)
        .join(LocalSite, LocalSite.id == Case.local_site_id)
        .join(period, period.id == Case.period_id)
        .where(*conditions)
    )
    if cell.row is not None:
        statement = statement.where(rows.matches(row_answer, cell.row))
    if cell.column is not None:
        statement = statement.where(columns.matches(column_answer, cell.column))
    if _several(rows, columns):  # a case's same answer twice (two rows alike) listed once
        statement = statement.distinct()
    # A case listed once per answer (races, boxes) lists them in the same order each time.
    listed = statement.subquery("listed")
    statement = select(*listed.c).order_by(
        listed.c.number, listed.c.id, listed.c.row_answer, listed.c.column_answer
    )
    if limit is not None:
        statement = statement.limit(limit)
    result = db.session.execute(statement.execution_options(yield_per=500))
    for case_id, number, case_type, local, period, row_value, column_value in result:
        yield (
            case_id,
            number,
            case_type,
            local,
            period,
            rows.code_of(row_value),
            columns.code_of(column_value),
        )


def saved_analyses(site_id: int) -> list[SavedAnalysis]:
    """Return the site's saved analyses by name, with their owners (one statement)."""
    return list(
        db.session.scalars(
            select(SavedAnalysis)
            .where(SavedAnalysis.site_id == site_id)
            .options(joinedload(SavedAnalysis.owner))
            .order_by(func.lower(SavedAnalysis.name), SavedAnalysis.id)
        )
    )


def saved_analysis(site_id: int, analysis_id: int) -> SavedAnalysis | None:
    """Return a saved analysis of the site, or None when the site has no such one."""
    analysis = db.session.get(SavedAnalysis, analysis_id)
    return analysis if analysis is not None and analysis.site_id == site_id else None
