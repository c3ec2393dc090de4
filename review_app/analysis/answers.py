"""A question's effective answer in SQL: what the rating engine reads, not what was typed.

The engine (review_app/instruments/engine.py, ``evaluate``) ignores an answer to
a question that is not asked (wrong case type, an applicability or ``show_when``
that does not hold: a reviewer who changed an earlier answer leaves it behind),
and replaces the answer of a question whose ``forced`` condition holds (a checked
reason makes 4C "No"). Counting stored answers would count those as typed. This
module writes the same rules as one SQL expression per question, joining each
stored answer it reads once; tests/analysis/test_answers.py holds it to the
engine for every question.
"""

from typing import Any

from sqlalchemy import Float, String, and_, case, cast, false, func, literal, not_, null, or_, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from review_app.cases.models import Case
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Condition
from review_app.ratings.models import Answer

# Another table to join to ``cases`` (outer: a case without the row has no answer).
Join = tuple[Any, Any]


class answer_text(FunctionElement[str]):
    """SQL: a stored answer (JSON) as text: a text as itself, a list or number written out."""

    type = String()
    inherit_cache = True


@compiles(answer_text)
def _answer_text_sqlite(element: answer_text, compiler: Any, **kw: Any) -> str:
    return f"json_extract({compiler.process(element.clauses, **kw)}, '$')"


@compiles(answer_text, "postgresql")
def _answer_text_postgresql(element: answer_text, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} #>> '{{}}')"


def _never_null(condition: Any) -> Any:
    """A comparison with no answer is false, not unknown (so ``not`` works as in Python)."""
    return func.coalesce(condition, false())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class EffectiveAnswers:
    """Builds the effective answers of one axis of a table; ``joins`` are what they read."""

    def __init__(self, instrument: Instrument, name: str) -> None:
        self.instrument = instrument
        self.name = name
        self.joins: list[Join] = []
        self._stored: dict[str, Any] = {}
        self._effective: dict[str, Any] = {}

    def stored(self, question_id: str) -> Any:
        """Return the stored answer as text; NULL when empty (no answer, "" or no box)."""
        if question_id not in self._stored:
            row = aliased(Answer, name=f"{self.name}_a{len(self._stored)}")
            on = and_(row.case_id == Case.id, row.question_id == question_id)
            self.joins.append((row, on))
            self._stored[question_id] = func.nullif(func.nullif(answer_text(row.value), ""), "[]")
        return self._stored[question_id]

    def value(self, question_id: str) -> Any:
        """Return the effective answer as text: NULL when the question is not asked."""
        if question_id not in self._effective:
            question = self.instrument.questions[question_id]
            answer = self.stored(question_id)
            if question.forced is not None:
                forced = literal(str(question.forced.value), String)
                answer = case((self.holds(question.forced.when), forced), else_=answer)
            self._effective[question_id] = case((self.asked(question_id), answer), else_=null())
        return self._effective[question_id]

    def asked(self, question_id: str) -> Any:
        """Return the condition that the question is asked on the case (true or false)."""
        asked = [self._case_type_allows(question_id)]
        asked += [self.holds(gate) for gate in self.instrument.gates.get(question_id, [])]
        return and_(*asked)

    def _case_type_allows(self, question_id: str) -> Any:
        placement = self.instrument.placements[question_id]
        tests = [
            Case.case_type.in_(part.applies_to)
            for part in (placement.item, placement.subitem)
            if part is not None and part.applies_to is not None
        ]
        return and_(true(), *tests)

    def _equals(self, question_id: str, wanted: Any) -> Any:
        value = self.value(question_id)
        if self.instrument.questions[question_id].kind == "number" and _is_number(wanted):
            return _never_null(cast(value, Float) == wanted)
        if isinstance(wanted, str):
            return _never_null(value == wanted)
        return false()  # a stored text never equals a number, nor a number a text

    def holds(self, condition: Condition) -> Any:
        """Return the SQL of ``engine.holds``: true or false, never unknown."""
        if condition.case_type is not None:
            return Case.case_type == condition.case_type
        if condition.all is not None:
            return and_(true(), *(self.holds(part) for part in condition.all))
        if condition.any is not None:
            return or_(false(), *(self.holds(part) for part in condition.any))
        if condition.not_ is not None:
            return not_(self.holds(condition.not_))
        if condition.some is not None:
            return or_(false(), *(self._equals(q, condition.is_) for q in condition.some))
        if condition.none is not None:
            return and_(true(), *(not_(self._equals(q, condition.is_)) for q in condition.none))
        assert condition.q is not None  # one form per condition (schema)
        return self._test(condition.q, condition)

    def _test(self, question_id: str, condition: Condition) -> Any:
        value = self.value(question_id)
        if condition.answered is not None:
            return value.is_not(None) if condition.answered else value.is_(None)
        if condition.is_ is not None:
            return self._equals(question_id, condition.is_)
        if condition.in_ is not None:
            return or_(false(), *(self._equals(question_id, v) for v in condition.in_))
        if condition.not_in is not None:
            listed = or_(false(), *(self._equals(question_id, v) for v in condition.not_in))
            return and_(value.is_not(None), not_(listed))
        if condition.checked is not None:
            if condition.checked is True:  # any box: an empty list is no answer
                return value.is_not(None)
            if condition.checked is False:  # never holds: no box checked is no answer
                return false()
            return _never_null(value.contains(f'"{condition.checked}"', autoescape=True))
        if self.instrument.questions[question_id].kind != "number":
            return false()  # the engine compares numbers only
        number = cast(value, Float)
        for name, compare in (
            ("gt", number.__gt__),
            ("ge", number.__ge__),
            ("lt", number.__lt__),
            ("le", number.__le__),
        ):
            bound = getattr(condition, name)
            if bound is not None:
                return _never_null(compare(bound))
        return false()
