"""The shape of an instrument file, checked field by field with pydantic.

An instrument file is YAML. Cross-references (a condition naming a question,
an outcome naming an item) are checked afterwards by ``loader``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
Id = Annotated[str, Field(pattern=ID_PATTERN)]
COUNT_PATTERN = re.compile(r"^(>=|<=|>|<|=)?\s*(\d+)$")

QuestionKind = Literal["yes_no_na", "yes_no", "number", "date", "choice", "multi", "text", "table"]
ItemRating = Literal["strength", "ani", "not_applicable", "incomplete"]
OutcomeRating = Literal[
    "substantially_achieved", "partially_achieved", "not_achieved", "not_applicable", "incomplete"
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Annotated[str, Field(min_length=1)]


class Source(Strict):
    """Where a rule comes from: public documents by title or address, and how sure it is.

    A rule no public source settles is marked ``uncertain`` (and may name no document).
    """

    refs: list[Text] = []
    note: str = ""
    uncertain: bool = False

    @model_validator(mode="after")
    def _named_or_uncertain(self) -> Source:
        if not self.refs and not self.uncertain:
            raise ValueError("name a document in 'refs', or mark the rule 'uncertain: true'")
        return self


class Choice(Strict):
    value: Id
    label: str = Field(min_length=1)


class Condition(Strict):
    """A test on answers or on the case type; exactly one form per condition.

    Forms: ``q`` with one of ``is``/``in``/``not_in``/``answered``/``gt``/``ge``/
    ``lt``/``le``/``checked`` (multi-select: any box, or the named one);
    ``case_type``; ``all``/``any`` (lists); ``not``; ``some``/``none`` (a list of
    questions, with ``is``: whether any / none of them has that answer).
    """

    q: Id | None = None
    is_: Any = Field(default=None, alias="is")
    in_: list[Any] | None = Field(default=None, alias="in")
    not_in: list[Any] | None = None
    answered: bool | None = None
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    checked: bool | Id | None = None
    case_type: Id | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    some: list[Id] | None = None
    none: list[Id] | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        tests = [
            n
            for n in ("is_", "in_", "not_in", "answered", "gt", "ge", "lt", "le", "checked")
            if getattr(self, n) is not None
        ]
        heads = [
            n
            for n in ("q", "case_type", "all", "any", "not_", "some", "none")
            if getattr(self, n) is not None
        ]
        if len(heads) != 1:
            raise ValueError(
                "a condition needs exactly one of q, case_type, all, any, not, some, none"
            )
        head = heads[0]
        if head == "q" and len(tests) != 1:
            raise ValueError(
                "a 'q' condition needs exactly one test: is, in, not_in, answered, "
                "gt, ge, lt, le or checked"
            )
        if head in ("some", "none") and tests != ["is_"]:
            raise ValueError(f"a '{head}' condition needs 'is' and nothing else")
        if head in ("case_type", "all", "any", "not_") and tests:
            raise ValueError(f"a '{head.rstrip('_')}' condition takes no answer test")
        return self

    def questions(self) -> set[str]:
        """Return every question id the condition reads."""
        found = {self.q} if self.q else set()
        found |= set(self.some or []) | set(self.none or [])
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            found |= child.questions()
        return found


class Column(Strict):
    id: Id
    kind: Literal["yes_no_na", "yes_no", "number", "date", "choice", "multi", "text"]
    text: str = Field(min_length=1)
    choices: str | list[Choice] | None = None
    optional: bool = False


class Forced(Strict):
    """When ``when`` holds, the answer is ``value`` whatever was entered."""

    when: Condition
    value: Any


class Question(Strict):
    id: Id
    kind: QuestionKind
    text: str = Field(min_length=1)
    help: str = ""
    # Longer instructions shown beside the question: what counts as Yes, when NA applies.
    guidance: str = ""
    choices: str | list[Choice] | None = None
    columns: list[Column] | None = None
    show_when: Condition | None = None
    forced: Forced | None = None
    optional: bool = False
    # Which answers need a short narrative explaining them.
    narrative_on: list[str] | None = None
    min: float | None = None
    max: float | None = None
    max_length: int = Field(default=4000, ge=1, le=20000)
    # Filled in from the case record when the case is created.
    prefill_from: Literal["opened_on", "removal_on", "closed_on"] | None = None
    # A face sheet question recording one of the case's demographic fields: its choices
    # are that field's categories (``demographics:``), it shows the case's value, and
    # saving the face sheet sets the case's value from it.
    demographic: Literal["sex", "race", "hispanic"] | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> Question:
        if self.demographic and (self.kind not in ("choice", "multi") or self.choices):
            raise ValueError("a demographic question is 'choice' or 'multi', without choices")
        if self.kind in ("choice", "multi") and not (self.choices or self.demographic):
            raise ValueError(f"a '{self.kind}' question needs choices")
        if self.kind not in ("choice", "multi") and self.choices:
            raise ValueError(f"choices only go with 'choice' or 'multi', not '{self.kind}'")
        if (self.kind == "table") != bool(self.columns):
            raise ValueError("a 'table' question needs columns, and only it has them")
        return self

    @property
    def narrative_answers(self) -> list[str]:
        if self.narrative_on is not None:
            return self.narrative_on
        return ["no"] if self.kind in ("yes_no_na", "yes_no") else []


class ItemRule(Strict):
    """Strength when ``strength_when`` holds, otherwise ANI; or combine the sub-items."""

    strength_when: Condition | None = None
    combine: Literal["subitems"] | None = None
    na_when: Condition | None = None

    @model_validator(mode="after")
    def _one(self) -> ItemRule:
        if (self.strength_when is None) == (self.combine is None):
            raise ValueError("a rating rule needs exactly one of strength_when or combine")
        return self


class SubItem(Strict):
    id: Id
    title: str = Field(min_length=1)
    applies_to: list[Id] | None = None
    applies_when: Condition | None = None
    questions: list[Question] = Field(min_length=1)
    rating: ItemRule


class Item(Strict):
    id: Id
    number: int = Field(ge=1, le=99)
    title: str = Field(min_length=1)
    purpose: str = ""
    # Terms the item's questions use, each with its meaning (shown and searchable).
    definitions: dict[Text, Text] = {}
    source: Source | None = None
    applies_to: list[Id] | None = None
    applicability: list[Question] = []
    applies_when: Condition | None = None
    questions: list[Question] = []
    subitems: list[SubItem] = []
    rating: ItemRule

    @model_validator(mode="after")
    def _subitems_match_rule(self) -> Item:
        if (self.rating.combine == "subitems") != bool(self.subitems):
            raise ValueError("'combine: subitems' goes with sub-items, and sub-items need it")
        if not self.questions and not self.subitems:
            raise ValueError("an item needs questions or sub-items")
        return self


class OutcomeClause(Strict):
    """A rating given when the counts of Strength and ANI items match."""

    rating: Literal["substantially_achieved", "partially_achieved", "not_achieved"]
    strength: str | int | None = None
    ani: str | int | None = None

    @field_validator("strength", "ani")
    @classmethod
    def _count(cls, value: str | int | None) -> str | None:
        if value is None:
            return None
        if not COUNT_PATTERN.match(str(value).strip()):
            raise ValueError("write a count such as 0, >=1, <=1 or >2")
        return str(value).strip()


class Outcome(Strict):
    id: Id
    label: str = Field(min_length=1)
    statement: str = Field(min_length=1)
    items: list[Id] = Field(min_length=1)
    rule: list[OutcomeClause] = Field(min_length=1)
    source: Source | None = None


class StakeholderType(Strict):
    """A kind of person an interview may include (never a name)."""

    code: Id
    label: str = Field(min_length=1)


class SystemicItem(Strict):
    """A systemic factor item (19 to 36), rated from stakeholder interviews."""

    id: Id
    number: int = Field(ge=1, le=99)
    title: str = Field(min_length=1)
    help: str = ""


class SystemicFactor(Strict):
    id: Id
    label: str = Field(min_length=1)
    items: list[SystemicItem] = Field(min_length=1)


class DemographicField(Strict):
    """A fact about the target child kept on the case, with the values it may take."""

    label: Text
    help: str = ""
    multiple: bool = False  # several values at once (race)
    choices: list[Choice] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> DemographicField:
        values = [choice.value for choice in self.choices]
        if len(set(values)) != len(values):
            raise ValueError("each value may appear once")
        return self


class Demographics(Strict):
    """The target child's sex, race (several allowed) and Hispanic or Latino ethnicity."""

    sex: DemographicField
    race: DemographicField
    hispanic: DemographicField


class InstrumentFile(Strict):
    version: Id
    title: str = Field(min_length=1)
    # An outcome is in substantial conformity when at least this share of the
    # cases it applies to are Substantially Achieved (95 in later rounds, 90 in the first).
    conformity_percent: float = Field(default=95, gt=0, le=100)
    case_types: dict[Id, str] = Field(min_length=1)
    choice_lists: dict[Id, list[Choice]] = {}
    # Optional, so an older file still loads; without it cases record no demographics.
    demographics: Demographics | None = None
    face_sheet: list[Question] = []
    items: list[Item] = Field(min_length=1)
    outcomes: list[Outcome] = Field(min_length=1)
    # Optional, so an instrument without interviews still loads; interviews need both.
    stakeholder_types: list[StakeholderType] = []
    systemic_factors: list[SystemicFactor] = []


def count_matches(spec: str | int | None, value: int) -> bool:
    """Tell whether ``value`` satisfies a count such as '>=1' (None matches anything)."""
    if spec is None:
        return True
    match = COUNT_PATTERN.match(str(spec).strip())
    assert match is not None  # the schema admits no other count
    operator, number = match.group(1) or "=", int(match.group(2))
    return {
        "=": value == number,
        ">=": value >= number,
        "<=": value <= number,
        ">": value > number,
        "<": value < number,
    }[operator]
