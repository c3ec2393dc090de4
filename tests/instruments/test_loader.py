"""A broken instrument file is refused with its file, place and fault named."""

import copy
import functools
import json
from pathlib import Path

import pytest
import yaml

from review_app.config import PROJECT_ROOT
from review_app.instruments.loader import InstrumentError, load

# libyaml's loader and dumper when PyYAML has them, as the instrument loader does.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SHIPPED = sorted((PROJECT_ROOT / "instruments").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_instrument_loads(path):
    instrument = load(path)
    assert instrument.items and instrument.outcomes


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.dump(data, Dumper=_DUMPER, sort_keys=False))
    return path


@functools.cache
def _shipped() -> dict:
    return yaml.load(
        (PROJECT_ROOT / "instruments" / "cfsr-round4.yaml").read_text(), Loader=_LOADER
    )


def _base() -> dict:
    """The shipped CFSR instrument as data, for a test to break (read once, copied per test)."""
    return copy.deepcopy(_shipped())


def _item(data: dict, item_id: str) -> dict:
    return next(item for item in data["items"] if item["id"] == item_id)


def _faults(tmp_path, data) -> str:
    with pytest.raises(InstrumentError) as caught:
        load(_write(tmp_path, data))
    return str(caught.value)


def test_unknown_question_in_a_condition(tmp_path):
    data = _base()
    _item(data, "1")["questions"][3]["show_when"] = {"q": "1Z", "gt": 0}
    message = _faults(tmp_path, data)
    assert "broken.yaml: item 1 > question 1C > show_when: names the unknown question 1Z" in message


def test_duplicate_question_id(tmp_path):
    data = _base()
    _item(data, "3")["questions"][1]["id"] = "3A"
    assert "question id 3A is used twice" in _faults(tmp_path, data)


def test_outcome_naming_a_missing_item(tmp_path):
    data = _base()
    data["outcomes"][0]["items"] = ["1", "99"]
    assert "outcome S1: names the unknown item 99" in _faults(tmp_path, data)


def test_item_in_no_outcome(tmp_path):
    data = _base()
    data["outcomes"] = [o for o in data["outcomes"] if o["id"] != "S1"]
    assert "item 1: belongs to no outcome" in _faults(tmp_path, data)


def test_cycle_in_conditions(tmp_path):
    data = _base()
    questions = _item(data, "3")["questions"]
    questions[0]["show_when"] = {"q": "3B", "is": "yes"}
    questions[1]["show_when"] = {"q": "3A", "is": "yes"}
    assert "questions depend on each other in a circle" in _faults(tmp_path, data)


def test_impossible_answer_in_a_condition(tmp_path):
    data = _base()
    _item(data, "2")["applies_when"] = {"q": "2-app", "is": "maybe"}
    assert "2-app never has the answer 'maybe'" in _faults(tmp_path, data)


def test_outcome_rule_with_a_gap(tmp_path):
    data = _base()
    s2 = next(o for o in data["outcomes"] if o["id"] == "S2")
    s2["rule"] = s2["rule"][:1]
    assert "no clause rates 1 Strength and 1 ANI" in _faults(tmp_path, data)


def test_wrong_shape_names_the_item_and_question(tmp_path):
    data = _base()
    _item(data, "3")["questions"][0]["kind"] = "maybe"
    message = _faults(tmp_path, data)
    assert "item 3 > question 3A > kind" in message


def test_unknown_choice_list(tmp_path):
    data = _base()
    _item(data, "3")["questions"][4]["choices"] = "no_such_list"
    assert "choices names the unknown list no_such_list" in _faults(tmp_path, data)


def test_not_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("version: x\nitems: [\n")
    with pytest.raises(InstrumentError, match=r"bad.yaml: line \d+, column \d+: not valid YAML"):
        load(path)


def test_cli_check_and_rate(tmp_path):
    from click.testing import CliRunner

    from review_app.instruments.cli import instruments

    runner = CliRunner()
    shipped = str(PROJECT_ROOT / "instruments" / "cfsr-round4.yaml")
    result = runner.invoke(instruments, ["check", shipped])
    assert result.exit_code == 0 and "OK" in result.output
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"1-app": "no", "1A": "lots"}))
    result = runner.invoke(instruments, ["rate", shipped, "--case-type", "in_home", str(answers)])
    assert result.exit_code != 0 and "1A: give a whole number" in result.output
    answers.write_text(json.dumps({"1-app": "no"}))
    result = runner.invoke(instruments, ["rate", shipped, "--case-type", "in_home", str(answers)])
    assert result.exit_code == 0
    assert json.loads(result.output)["items"]["1"]["rating"] == "not_applicable"
    broken = _write(tmp_path, {**_base(), "outcomes": []})
    result = runner.invoke(instruments, ["check", str(broken)])
    assert result.exit_code == 1 and "outcome: List should have at least 1 item" in result.output
    result = runner.invoke(instruments, ["export", shipped])
    exported = json.loads(result.output)
    assert exported["items"][0]["questions"][0]["id"]


def _factor(data: dict, factor_id: str) -> dict:
    return next(f for f in data["systemic_factors"] if f["id"] == factor_id)


def test_shipped_instrument_declares_systemic_items_19_to_36():
    instrument = load(PROJECT_ROOT / "instruments" / "cfsr-round4.yaml")
    assert [item.number for item in instrument.systemic_items.values()] == list(range(19, 37))
    assert len(instrument.factors) == 7
    assert instrument.factor_of("21").label == "Case review system"
    assert instrument.stakeholder_types["judges"] == "Judges and court staff"


def test_systemic_item_clashing_with_a_case_item(tmp_path):
    data = _base()
    _factor(data, "information_system")["items"][0]["id"] = "3"
    message = _faults(tmp_path, data)
    assert (
        "broken.yaml: systemic factor information_system > item 3: "
        "id 3 is already the id of a case item"
    ) in message


def test_systemic_item_id_and_number_used_twice(tmp_path):
    data = _base()
    items = _factor(data, "case_review")["items"]
    items[1]["id"] = "20"
    items[2]["number"] = 5
    message = _faults(tmp_path, data)
    assert "systemic factor case_review > item 20: systemic item id used twice" in message
    assert "systemic factor case_review > item 22: number 5 is already used by case item 5" in (
        message
    )


def test_systemic_factor_and_stakeholder_type_used_twice(tmp_path):
    data = _base()
    data["systemic_factors"][1]["id"] = "information_system"
    data["stakeholder_types"][1]["code"] = "judges"
    message = _faults(tmp_path, data)
    assert "systemic factor information_system: factor id used twice" in message
    assert "stakeholder type judges: code used twice" in message


def test_systemic_factors_need_stakeholder_types(tmp_path):
    data = _base()
    data["stakeholder_types"] = []
    assert "stakeholder_types: systemic factors are declared" in _faults(tmp_path, data)


def test_wrong_shape_names_the_systemic_factor_and_item(tmp_path):
    data = _base()
    _factor(data, "training")["items"][1]["title"] = ""
    data["stakeholder_types"][2]["label"] = ""
    message = _faults(tmp_path, data)
    assert "broken.yaml: systemic factor training > item 27 > title:" in message
    assert "stakeholder type children_attorneys > label:" in message


def test_an_instrument_without_systemic_factors_still_loads(tmp_path):
    data = _base()
    del data["systemic_factors"], data["stakeholder_types"]
    instrument = load(_write(tmp_path, data))
    assert instrument.systemic_items == {} and instrument.stakeholder_types == {}


def test_guidance_of_the_wrong_type_is_named(tmp_path):
    data = _base()
    question = next(q for q in _item(data, "8")["questions"] if q["id"] == "8C2")
    question["guidance"] = ["not", "text"]
    message = _faults(tmp_path, data)
    assert "broken.yaml: item 8 > question 8C2 > guidance" in message
    assert "string" in message


def test_definitions_must_map_terms_to_text(tmp_path):
    data = _base()
    _item(data, "1")["definitions"] = {"Accepted report": ""}
    message = _faults(tmp_path, data)
    assert "broken.yaml: item 1 > definitions > Accepted report" in message


def test_a_source_names_a_document_or_is_marked_uncertain(tmp_path):
    data = _base()
    _item(data, "4")["source"] = {"note": "from memory"}
    message = _faults(tmp_path, data)
    assert "broken.yaml: item 4 > source" in message
    assert "uncertain" in message


def test_unknown_source_field_is_refused(tmp_path):
    data = _base()
    data["outcomes"][0]["source"]["page"] = 12
    assert "outcome S1 > source > page" in _faults(tmp_path, data)


def test_every_item_and_outcome_records_its_source_and_guidance():
    instrument = load(PROJECT_ROOT / "instruments" / "cfsr-round4.yaml")
    for item in instrument.items.values():
        assert item.source is not None, f"item {item.id} has no source"
        assert item.purpose and item.definitions, f"item {item.id} has no guidance"
        rated = [q for q in instrument.item_questions(item) if q.kind in ("yes_no", "yes_no_na")]
        assert any(q.guidance for q in rated), f"item {item.id}: no question guidance"
    for outcome in instrument.definition.outcomes:
        assert outcome.source is not None, f"outcome {outcome.id} has no source"
    uncertain = {i.id for i in instrument.items.values() if i.source.uncertain}
    assert {"2", "14", "15", "16", "17", "18"} <= uncertain


def test_export_carries_sources_and_guidance():
    from review_app.instruments.export import normalised

    data = normalised(load(PROJECT_ROOT / "instruments" / "cfsr-round4.yaml"))
    item_3 = next(item for item in data["items"] if item["id"] == "3")
    assert "Safety Outcome 2" in " ".join(item_3["source"]["refs"])
    assert "Safety plan" in item_3["definitions"]
    assert "no NA there" in next(q for q in item_3["questions"] if q["id"] == "3E")["guidance"]
    assert all(outcome["source"] for outcome in data["outcomes"])


def _face(data: dict, question_id: str) -> dict:
    return next(q for q in data["face_sheet"] if q["id"] == question_id)


def test_demographic_questions_take_their_choices_from_the_demographics_section(tmp_path):
    data = _base()
    data["demographics"]["sex"]["choices"].append({"value": "x", "label": "Another sex"})
    instrument = load(_write(tmp_path, data))
    question = instrument.questions["FS-child-sex"]
    assert ("x", "Another sex") in instrument.options(question)
    race = instrument.options(instrument.questions["FS-child-race"])
    assert ("black", "Black or African American") in race


def test_a_demographic_question_of_the_wrong_kind_is_named(tmp_path):
    data = _base()
    _face(data, "FS-child-race")["kind"] = "choice"
    _face(data, "FS-child-sex")["kind"] = "multi"
    message = _faults(tmp_path, data)
    assert "face sheet question FS-child-race: demographic race takes a 'multi'" in message
    assert "face sheet question FS-child-sex: demographic sex takes a 'multi'" in message


def test_a_demographic_question_needs_the_section_and_no_choices_of_its_own(tmp_path):
    data = _base()
    del data["demographics"]
    assert "demographic sex needs the file's demographics section" in _faults(tmp_path, data)
    data = _base()
    _face(data, "FS-child-sex")["choices"] = [{"value": "a", "label": "A"}]
    assert "a demographic question is 'choice' or 'multi', without choices" in _faults(
        tmp_path, data
    )


def test_a_demographic_is_recorded_by_one_face_sheet_question(tmp_path):
    data = _base()
    data["face_sheet"].append({**_face(data, "FS-child-sex"), "id": "FS-sex-again"})
    message = _faults(tmp_path, data)
    assert "FS-sex-again: demographic sex is recorded by question FS-child-sex already" in message
    data = _base()
    _item(data, "1")["questions"].append({**_face(data, "FS-child-sex"), "id": "1-sex"})
    data["face_sheet"] = [q for q in data["face_sheet"] if q["id"] != "FS-child-sex"]
    assert "1-sex: a demographic question belongs on the face sheet" in _faults(tmp_path, data)
