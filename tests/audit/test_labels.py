"""Every audit action the code records has words for people, and the log shows them."""

import ast
from pathlib import Path

from review_app.audit.labels import ACTIONS, action_label, field_label, value_label
from review_app.cases.workflow import ACTIONS as WORKFLOW_ACTIONS

PACKAGE = Path(__file__).resolve().parents[2] / "review_app"
# Function name -> position of its action argument.
RECORDERS = {"record": 1, "record_read": 1, "_record_read": 0, "_set_holder": 3}


def _strings(node: ast.expr, where: str) -> set[str]:
    """Return every action an argument can be: a string, either of two, or case.<workflow>."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, where) | _strings(node.orelse, where)
    if (
        isinstance(node, ast.JoinedStr)
        and isinstance(node.values[0], ast.Constant)
        and node.values[0].value == "case."
    ):
        return {f"case.{name}" for name in WORKFLOW_ACTIONS}
    if isinstance(node, ast.Name) and node.id == "action":
        return set()  # passed through by a wrapper; its callers are collected
    raise AssertionError(f"{where}: an action this test cannot read: {ast.dump(node)[:120]}")


def recorded_actions() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = RECORDERS.get(name)
            if position is None or path.name == "operations.py" and "audit" in path.parts:
                continue
            argument = node.args[position] if len(node.args) > position else None
            if argument is None:
                keyword = next((k for k in node.keywords if k.arg == "action"), None)
                argument = keyword.value if keyword else None
            if argument is not None:
                found |= _strings(argument, f"{path.name}:{node.lineno}")
    return found


def test_every_recorded_action_has_plain_words():
    actions = recorded_actions()
    assert len(actions) > 40  # the collector still finds the calls
    assert "case.take" in actions and "download.source_data" in actions
    assert sorted(actions - set(ACTIONS)) == []


def test_no_words_are_kept_for_an_action_nothing_records():
    assert sorted(set(ACTIONS) - recorded_actions()) == []


def test_the_words_read_as_words():
    for action, words in ACTIONS.items():
        assert "." not in words and "_" not in words, action
        assert words[0].isupper(), action
    assert action_label("case.take") == "QA level 1 started"
    assert action_label("case.someday") == "Case: someday"


def test_recorded_fields_and_values_are_named():
    assert field_label("pur_start") == "Period under review from"
    assert field_label("child_birth_date") == "Child birth date"
    assert value_label("status", "in_progress") == "In progress"
    assert value_label("roles", ["qa1", "reviewer"]) == "QA, level 1, Reviewer"
    assert value_label("override", "ani") == "Area Needing Improvement"
    assert value_label("is_open", False) == "No"
    assert value_label("reason", None) == "(none)"


def test_codes_an_instrument_defines_are_named_from_it(app):
    """Stakeholder types, the child's demographics and instrument versions read as words."""
    from review_app.instruments.catalog import newest_instrument

    with app.app_context():
        instrument = newest_instrument()
        declared = instrument.definition.demographics
        race = declared.race.choices[0]
        stakeholder, words = next(iter(instrument.stakeholder_types.items()))
        assert value_label("child_races", [race.value], instrument) == race.label
        assert value_label("child_sex", declared.sex.choices[0].value, instrument) == (
            declared.sex.choices[0].label
        )
        assert value_label("stakeholder_types", [stakeholder], instrument) == words
        version = instrument.definition.version
        assert value_label("instrument_version", version) == instrument.title != version
