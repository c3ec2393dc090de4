"""Read an instrument file and check it completely, naming file, item, question and fault."""

from functools import cache
from graphlib import CycleError, TopologicalSorter
from itertools import product
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from review_app.instruments.model import Instrument, Placement
from review_app.instruments.schema import (
    Condition,
    InstrumentFile,
    Item,
    ItemRule,
    Outcome,
    Question,
    SubItem,
    count_matches,
)


class InstrumentError(Exception):
    """An instrument file is wrong; ``faults`` holds one line per fault."""

    def __init__(self, path: Path | str, faults: list[str]):
        self.path, self.faults = str(path), faults
        super().__init__("\n".join(f"{path}: {fault}" for fault in faults))


def _place(raw: object, loc: tuple[Any, ...]) -> str:
    """Describe a pydantic location with the ids found in the raw data on the way."""
    words: list[str] = []
    node: Any = raw
    for part in loc:
        node = node[part] if isinstance(node, (dict, list)) and _has(node, part) else None
        name = node.get("id", node.get("code")) if isinstance(node, dict) else None
        if isinstance(part, int) and name is not None:
            words[-1] = f"{words[-1]} {name}" if words else str(name)
        elif isinstance(part, str):
            words.append(
                {
                    "items": "item",
                    "questions": "question",
                    "applicability": "question",
                    "subitems": "sub-item",
                    "face_sheet": "face sheet question",
                    "outcomes": "outcome",
                    "columns": "column",
                    "systemic_factors": "systemic factor",
                    "stakeholder_types": "stakeholder type",
                }.get(part, part)
            )
    return " > ".join(words) or "(top level)"


def _has(node: object, part: int | str) -> bool:
    return (isinstance(node, dict) and part in node) or (
        isinstance(node, list) and isinstance(part, int) and part < len(node)
    )


# libyaml's parser when PyYAML was built with it: many times faster on large files.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely (no arbitrary objects)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506


def read(path: Path) -> InstrumentFile:
    """Parse and check the shape of one file."""
    try:
        raw = read_yaml(path)
    except FileNotFoundError:
        raise InstrumentError(path, ["no such file"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InstrumentError(
            path, [f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]
        ) from None
    try:
        return InstrumentFile.model_validate(raw)
    except ValidationError as exc:
        raise InstrumentError(
            path, [f"{_place(raw, e['loc'])}: {e['msg']}" for e in exc.errors()]
        ) from None


class _Checker:
    """Cross-reference checks that the shape alone cannot express."""

    def __init__(self, definition: InstrumentFile):
        self.d = definition
        self.faults: list[str] = []
        self.instrument = Instrument(definition)

    def fault(self, where: str, message: str) -> None:
        self.faults.append(f"{where}: {message}")

    def run(self) -> Instrument:
        self._index()
        self._check_choice_lists()
        for question in self.instrument.questions.values():
            self._check_question(question)
        self._check_items()
        self._check_outcomes()
        self._check_systemic()
        self._order()
        return self.instrument

    def _where(self, question_id: str) -> str:
        placement = self.instrument.placements.get(question_id)
        if placement is None or placement.item is None:
            return f"face sheet question {question_id}"
        return f"item {placement.item.id} > question {question_id}"

    def _add(self, question: Question, placement: Placement) -> None:
        if question.id in self.instrument.questions:
            self.fault(self._where(question.id), f"question id {question.id} is used twice")
            return
        self.instrument.questions[question.id] = question
        self.instrument.placements[question.id] = placement

    def _index(self) -> None:
        for question in self.d.face_sheet:
            self._add(question, Placement(None, None, False))
        for item in self.d.items:
            if item.id in self.instrument.items:
                self.fault(f"item {item.id}", "item id used twice")
            self.instrument.items[item.id] = item
            for question in item.applicability:
                self._add(question, Placement(item, None, True))
            for question in item.questions:
                self._add(question, Placement(item, None, False))
            for sub in item.subitems:
                for question in sub.questions:
                    self._add(question, Placement(item, sub, False))
        numbers = [item.number for item in self.d.items]
        for number in {n for n in numbers if numbers.count(n) > 1}:
            self.fault(f"item number {number}", "used by more than one item")

    def _check_choice_lists(self) -> None:
        for name, choices in self.d.choice_lists.items():
            values = [choice.value for choice in choices]
            for value in {v for v in values if values.count(v) > 1}:
                self.fault(f"choice list {name}", f"value {value} appears twice")

    def _allowed(self, question: Question) -> set[str] | None:
        """Return the answers a question accepts, where they form a closed set."""
        if question.kind == "yes_no_na":
            return {"yes", "no", "na"}
        if question.kind == "yes_no":
            return {"yes", "no"}
        if question.kind in ("choice", "multi"):
            if isinstance(question.choices, str) and question.choices not in self.d.choice_lists:
                return None
            return {choice.value for choice in self.instrument.choices(question)}
        return None

    def _check_demographic(self, question: Question, where: str) -> None:
        name = question.demographic
        if self.instrument.placements[question.id].item is not None:
            self.fault(where, "a demographic question belongs on the face sheet")
        if self.d.demographics is None:
            self.fault(where, f"demographic {name} needs the file's demographics section")
        elif getattr(self.d.demographics, str(name)).multiple != (question.kind == "multi"):
            self.fault(where, f"demographic {name} takes a 'multi' question exactly when multiple")
        others = [q.id for q in self.d.face_sheet if q.demographic == name]
        if others and others[0] != question.id:
            self.fault(where, f"demographic {name} is recorded by question {others[0]} already")

    def _check_question(self, question: Question) -> None:
        where = self._where(question.id)
        if isinstance(question.choices, str) and question.choices not in self.d.choice_lists:
            self.fault(where, f"choices names the unknown list {question.choices}")
        if question.demographic:
            self._check_demographic(question, where)
        for column in question.columns or []:
            if isinstance(column.choices, str) and column.choices not in self.d.choice_lists:
                self.fault(where, f"column {column.id} names the unknown list {column.choices}")
        allowed = self._allowed(question)
        if allowed is not None:
            for value in question.narrative_on or []:
                if value not in allowed:
                    self.fault(
                        where, f"narrative_on names {value!r}, not an answer of this question"
                    )
        if question.show_when:
            self._check_condition(question.show_when, where + " > show_when")
        if question.forced:
            self._check_condition(question.forced.when, where + " > forced")
            if allowed is not None and question.forced.value not in allowed:
                self.fault(
                    where,
                    f"forced value {question.forced.value!r} is not an answer of this question",
                )

    def _check_condition(self, condition: Condition, where: str) -> None:
        if condition.case_type and condition.case_type not in self.d.case_types:
            self.fault(where, f"unknown case type {condition.case_type}")
        for child in (condition.all or []) + (condition.any or []):
            self._check_condition(child, where)
        if condition.not_:
            self._check_condition(condition.not_, where)
        named = [condition.q] if condition.q else (condition.some or condition.none or [])
        for question_id in named:
            question = self.instrument.questions.get(question_id)
            if question is None:
                self.fault(where, f"names the unknown question {question_id}")
                continue
            self._check_values(condition, question, where)

    def _check_values(self, condition: Condition, question: Question, where: str) -> None:
        allowed = self._allowed(question)
        values = [condition.is_] if condition.is_ is not None else []
        values += list(condition.in_ or []) + list(condition.not_in or [])
        if allowed is not None:
            for value in values:
                if value not in allowed:
                    self.fault(where, f"{question.id} never has the answer {value!r}")
        numeric = any(getattr(condition, n) is not None for n in ("gt", "ge", "lt", "le"))
        if numeric and question.kind != "number":
            self.fault(
                where, f"compares {question.id} with a number, but it is a {question.kind} question"
            )
        if condition.checked is not None:
            if question.kind != "multi":
                self.fault(
                    where, f"'checked' needs a multi question; {question.id} is {question.kind}"
                )
            elif isinstance(condition.checked, str) and condition.checked not in (allowed or ()):
                self.fault(where, f"{question.id} has no option {condition.checked!r}")

    def _check_case_types(self, names: list[str] | None, where: str) -> None:
        for name in names or []:
            if name not in self.d.case_types:
                self.fault(where, f"applies_to names the unknown case type {name}")

    def _check_items(self) -> None:
        for item in self.d.items:
            where = f"item {item.id}"
            self._check_case_types(item.applies_to, where)
            if item.applies_when:
                self._check_condition(item.applies_when, where + " > applies_when")
            self._check_rule(item.rating, where)
            for sub in item.subitems:
                self._check_case_types(sub.applies_to, f"{where} > sub-item {sub.id}")
                if sub.applies_when:
                    self._check_condition(
                        sub.applies_when, f"{where} > sub-item {sub.id} > applies_when"
                    )
                self._check_rule(sub.rating, f"{where} > sub-item {sub.id}")

    def _check_rule(self, rule: ItemRule, where: str) -> None:
        for name in ("strength_when", "na_when"):
            if getattr(rule, name):
                self._check_condition(getattr(rule, name), f"{where} > rating > {name}")

    def _check_outcomes(self) -> None:
        owner: dict[str, str] = {}
        for outcome in self.d.outcomes:
            if outcome.id in self.instrument.outcomes:
                self.fault(f"outcome {outcome.id}", "outcome id used twice")
            self.instrument.outcomes[outcome.id] = outcome
            for item_id in outcome.items:
                if item_id not in self.instrument.items:
                    self.fault(f"outcome {outcome.id}", f"names the unknown item {item_id}")
                elif item_id in owner:
                    self.fault(
                        f"outcome {outcome.id}",
                        f"item {item_id} already belongs to outcome {owner[item_id]}",
                    )
                owner[item_id] = outcome.id
            self._check_coverage(outcome)
        for item_id in self.instrument.items:
            if item_id not in owner:
                self.fault(f"item {item_id}", "belongs to no outcome")

    def _check_coverage(self, outcome: Outcome) -> None:
        """Every mix of Strength and ANI items must match some clause of the rule."""
        size = len(outcome.items)
        for strengths, anis in product(range(size + 1), repeat=2):
            if not 1 <= strengths + anis <= size:
                continue
            if not any(
                count_matches(c.strength, strengths) and count_matches(c.ani, anis)
                for c in outcome.rule
            ):
                self.fault(
                    f"outcome {outcome.id} > rule",
                    f"no clause rates {strengths} Strength and {anis} ANI item(s)",
                )

    def _check_systemic(self) -> None:
        """Index the systemic factors and stakeholder types; ids and numbers must be unique."""
        numbers = {item.number: f"case item {item.id}" for item in self.d.items}
        for factor in self.d.systemic_factors:
            where = f"systemic factor {factor.id}"
            if factor.id in self.instrument.factors:
                self.fault(where, "factor id used twice")
            self.instrument.factors[factor.id] = factor
            for item in factor.items:
                place = f"{where} > item {item.id}"
                if item.id in self.instrument.items:
                    self.fault(place, f"id {item.id} is already the id of a case item")
                elif item.id in self.instrument.systemic_items:
                    self.fault(place, "systemic item id used twice")
                if item.number in numbers:
                    used = numbers[item.number]
                    self.fault(place, f"number {item.number} is already used by {used}")
                numbers[item.number] = f"systemic item {item.id}"
                self.instrument.systemic_items.setdefault(item.id, item)
        for kind in self.d.stakeholder_types:
            if kind.code in self.instrument.stakeholder_types:
                self.fault(f"stakeholder type {kind.code}", "code used twice")
            self.instrument.stakeholder_types[kind.code] = kind.label
        if self.d.systemic_factors and not self.d.stakeholder_types:
            self.fault(
                "stakeholder_types",
                "systemic factors are declared, so interviews need at least one stakeholder type",
            )

    def _order(self) -> None:
        """Work out each question's gate and an order that evaluates gates before use."""
        instrument, graph = self.instrument, {}
        for question_id, question in instrument.questions.items():
            placement = instrument.placements[question_id]
            gates = gate_conditions(placement.item, placement.subitem, placement.is_applicability)
            if question.show_when:
                gates.append(question.show_when)
            instrument.gates[question_id] = gates
            reads = set()
            for condition in gates + ([question.forced.when] if question.forced else []):
                reads |= condition.questions()
            if placement.item is not None and not placement.is_applicability:
                reads |= {q.id for q in placement.item.applicability}
            graph[question_id] = reads & instrument.questions.keys()
        try:
            instrument.order = list(TopologicalSorter(graph).static_order())
        except CycleError as exc:
            cycle = " -> ".join(exc.args[1])
            self.fault("conditions", f"questions depend on each other in a circle: {cycle}")


def gate_conditions(
    item: Item | None, subitem: SubItem | None, is_applicability: bool
) -> list[Condition]:
    """Return the conditions (beyond case type) under which a question is asked at all."""
    gates = []
    if item is not None and not is_applicability and item.applies_when:
        gates.append(item.applies_when)
    if subitem is not None and subitem.applies_when:
        gates.append(subitem.applies_when)
    return gates


def load(path: Path | str) -> Instrument:
    """Read and check an instrument file; raise InstrumentError listing every fault."""
    checker = _Checker(read(Path(path)))
    instrument = checker.run()
    if checker.faults:
        raise InstrumentError(path, checker.faults)
    return instrument


@cache
def load_cached(path: str, modified: float) -> Instrument:
    """Load once per file version (the modification time keys the cache)."""
    return load(path)
