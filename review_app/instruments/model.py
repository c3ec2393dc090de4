"""An instrument ready to use: the checked file plus indexes for fast look-ups."""

from dataclasses import dataclass, field

from review_app.instruments import labels
from review_app.instruments.schema import (
    Choice,
    Column,
    Condition,
    InstrumentFile,
    Item,
    Outcome,
    Question,
    SubItem,
    SystemicFactor,
    SystemicItem,
)

YES_NO_LABELS = {"yes": "Yes", "no": "No", "na": "Not applicable"}


@dataclass(frozen=True)
class Placement:
    """Where a question sits: face sheet, an item's applicability, questions or a sub-item."""

    item: Item | None
    subitem: SubItem | None
    is_applicability: bool


@dataclass
class Instrument:
    definition: InstrumentFile
    questions: dict[str, Question] = field(default_factory=dict)
    placements: dict[str, Placement] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    # Questions in an order where every question comes after those its visibility reads.
    order: list[str] = field(default_factory=list)
    gates: dict[str, list[Condition]] = field(default_factory=dict)
    # Systemic factors in file order; their items (19 to 36) in order, by id.
    factors: dict[str, SystemicFactor] = field(default_factory=dict)
    systemic_items: dict[str, SystemicItem] = field(default_factory=dict)
    # Stakeholder type code -> label, in file order.
    stakeholder_types: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.definition.version

    @property
    def title(self) -> str:
        return self.definition.title

    def options(self, question: Question | Column) -> list[tuple[str, str]]:
        """Return (value, label) of every answer a yes/no, choice or multi question accepts."""
        if question.kind in ("yes_no_na", "yes_no"):
            values = ["yes", "no", "na"] if question.kind == "yes_no_na" else ["yes", "no"]
            return [(value, YES_NO_LABELS[value]) for value in values]
        return [(choice.value, choice.label) for choice in self.choices(question)]

    def choices(self, question: Question | Column) -> list[Choice]:
        """Return a choice or multi question's options (inline, a named list, demographics)."""
        demographic = getattr(question, "demographic", None)
        if demographic:
            declared = self.definition.demographics
            return list(getattr(declared, demographic).choices) if declared else []
        if isinstance(question.choices, str):
            return self.definition.choice_lists[question.choices]
        return list(question.choices or [])

    def item_questions(self, item: Item) -> list[Question]:
        """Return every question of an item in page order: applicability, then the rest."""
        questions = list(item.applicability) + list(item.questions)
        for sub in item.subitems:
            questions.extend(sub.questions)
        return questions

    def outcome_of(self, item_id: str) -> Outcome:
        return next(o for o in self.definition.outcomes if item_id in o.items)

    def factor_of(self, systemic_item_id: str) -> SystemicFactor:
        return next(
            f for f in self.factors.values() if any(i.id == systemic_item_id for i in f.items)
        )

    def systemic_label(self, systemic_item_id: str) -> str:
        """Return e.g. 'Item 20: Written case plan' (the id itself when unknown)."""
        item = self.systemic_items.get(systemic_item_id)
        return f"Item {item.number}: {item.title}" if item else f"Item {systemic_item_id}"

    # Ids in words, for every text a person reads (see labels.py).

    def question_label(self, question_id: str, capital: bool = False) -> str:
        """Return e.g. 'question 1A' or 'Item 5 question “Had the child…”'."""
        label = labels.question_label(self, question_id)
        return label[0].upper() + label[1:] if capital else label

    def question_number(self, question_id: str) -> str:
        """Return the instrument's number of a question ('1A'), or '' when it has none."""
        return labels.question_number(question_id) or ""

    def question_prefix(self, question_id: str) -> str:
        """Return the number shown before a question's text ('1A. '), or nothing."""
        return labels.question_prefix(question_id)

    def field_label(self, field_name: str) -> str:
        """Name a field of a case's change history (a question, 'Rationale', 'Rating')."""
        return labels.field_label(self, field_name)

    def change_where(self, item_id: str, field_name: str) -> str:
        """Say where a change was: 'Item 5, question 5B', 'Item 5, rationale'."""
        return labels.change_where(self, item_id, field_name)

    def value_text(self, field_name: str, value: object) -> str:
        """Write a stored answer of ``field_name`` in words."""
        return labels.value_text(self, field_name, value)
