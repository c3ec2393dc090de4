"""Every item rule of cfsr-round4: Strength, ANI, Not Applicable and Incomplete paths.

Each case starts from the complete "all good" answer set and changes a few answers
(None removes an answer). Answers to hidden questions must be ignored, forced
answers must win over what was entered.
"""

import pytest

from review_app.instruments.engine import ANI, INCOMPLETE, NA, STRENGTH
from tests.instruments.answer_sets import FC, IH, INSTRUMENT, rate

S, A, N, INC = STRENGTH, ANI, NA, INCOMPLETE


def case(item, case_type, changes, expected, why):
    return pytest.param(item, case_type, changes, expected, id=f"{item}: {why}")


ITEM_CASES = [
    # Item 1: reports not started / not seen in time, unless beyond the agency's control.
    case("1", FC, {}, S, "no delays"),
    case("1", IH, {}, S, "applies to in-home cases too"),
    case("1", IH, {"1-app": "no"}, N, "no report in the period"),
    case("1", FC, {"1A": 2, "1C": "yes"}, S, "delays beyond the agency's control"),
    case("1", FC, {"1B": 1, "1C": "no"}, A, "delays the agency could control"),
    case("1", FC, {"1C": "no"}, S, "hidden 1C ignored when no delays"),
    case("1", FC, {"1A": 2}, INC, "1C shown once there are delays"),
    case("1", FC, {"1-app": None}, INC, "applicability unanswered"),
    case("1", FC, {"1A": None}, INC, "1A unanswered"),
    # Item 2: either answer Yes and 2B not No; both NA leaves nothing to rate.
    case("2", IH, {}, S, "2A yes, 2B NA"),
    case("2", FC, {"2A": "no", "2B": "yes"}, S, "no services but removal was necessary"),
    case("2", FC, {"2A": "na", "2B": "yes"}, S, "2A NA, removal necessary"),
    case("2", FC, {"2A": "yes", "2B": "yes"}, S, "services, and a removal safety required"),
    case("2", FC, {"2A": "na", "2B": "na"}, N, "both NA: nothing to rate"),
    case("2", FC, {"2A": "yes", "2B": "no"}, A, "services, but a removal not needed"),
    case("2", FC, {"2A": "na", "2B": "no"}, A, "removal not needed for safety"),
    case("2", FC, {"2A": "no", "2B": "no"}, A, "no services, removal not necessary"),
    case("2", FC, {"2A": "no", "2B": "na"}, A, "no services, no removal"),
    case("2", IH, {"2-app": "no"}, N, "no safety concern"),
    case("2", FC, {"2B": None}, INC, "2B unanswered"),
    # Item 3: 3A-3C yes/NA, 3D-3F no/NA.
    case("3", FC, {}, S, "all good"),
    case("3", IH, {"3A": "na", "3D": "na"}, S, "NA answers"),
    case("3", IH, {"3E": None, "3F": None}, S, "3E and 3F not asked in in-home cases"),
    case("3", IH, {"3E": "yes", "3F": "yes"}, S, "hidden 3E and 3F ignored in-home"),
    case("3", FC, {"3E": None}, INC, "3E asked in foster care"),
    case("3", FC, {"3E": "na"}, A, "3E has no NA in foster care"),
    case("3", FC, {"3F": "na"}, A, "3F has no NA in foster care"),
    case("3", FC, {"3A": "no"}, A, "3A no"),
    case("3", FC, {"3B": "no"}, A, "3B no"),
    case("3", FC, {"3C": "no"}, A, "3C no"),
    case("3", FC, {"3D": "yes", "3D1": ["no_plan"]}, A, "3D yes"),
    case("3", FC, {"3D": "yes"}, INC, "3D1 shown when 3D yes"),
    case("3", FC, {"3E": "yes"}, A, "3E yes"),
    case("3", FC, {"3F": "yes"}, A, "3F yes"),
    case("3", FC, {"3B": None}, INC, "3B unanswered"),
    # Item 4: one placement and stable, or several, all planned, and stable.
    case("4", FC, {}, S, "one stable placement"),
    case("4", IH, {}, N, "in-home case"),
    case("4", FC, {"4A": 3, "4B": "yes"}, S, "several planned moves, stable"),
    case("4", FC, {"4A": 3, "4B": "no"}, A, "an unplanned move"),
    case("4", FC, {"4A": 3}, INC, "4B shown with several placements"),
    case("4", FC, {"4B": "no"}, S, "hidden 4B ignored with one placement"),
    case("4", FC, {"4C": "no"}, A, "not stable"),
    case("4", FC, {"4C1": ["behavior"]}, A, "checked reason forces 4C no"),
    case("4", FC, {"4C": None, "4C1": ["temporary"]}, A, "forced 4C counts as answered"),
    case("4", FC, {"4C": None}, INC, "4C unanswered"),
    case("4", FC, {"4-placements": None}, INC, "placements table required"),
    # Item 5: goal in file, timely, appropriate; TPR petition or exception where due.
    case("5", FC, {}, S, "goal set well, no TPR grounds"),
    case("5", IH, {}, N, "in-home case"),
    case("5", FC, {"5-app-60": "no", "5-app-goal": "no"}, N, "under 60 days, no goal"),
    case("5", FC, {"5-app-60": "no", "5-app-goal": "yes"}, S, "under 60 days with a goal"),
    case("5", FC, {"5-app-60": "no"}, INC, "second applicability question shown"),
    case("5", FC, {"5A": "no"}, A, "goal not in file"),
    case("5", FC, {"5B": "no"}, A, "goal not timely"),
    case("5", FC, {"5C": "no"}, A, "goal not appropriate"),
    case("5", FC, {"5B": "na", "5C": "na"}, S, "5B and 5C NA"),
    case("5", FC, {"5-goals": None}, S, "goals table optional"),
    case("5", FC, {"5D": "yes", "5F": "yes"}, S, "15 of 22 months, petition filed"),
    case(
        "5",
        FC,
        {"5E": "yes", "5F": "no", "5G": "yes", "5G1": ["relative_care"]},
        S,
        "other grounds, exception applied",
    ),
    case("5", FC, {"5D": "yes", "5F": "no", "5G": "no"}, A, "no petition, no exception"),
    case("5", FC, {"5D": "yes"}, INC, "5F shown"),
    case("5", FC, {"5D": "yes", "5F": "no"}, INC, "5G shown"),
    case("5", FC, {"5E": "yes", "5F": "no", "5G": "yes"}, INC, "5G1 shown"),
    case("5", FC, {"5F": "no", "5G": "no"}, S, "hidden 5F and 5G ignored"),
    case("5", FC, {"5A": None}, INC, "5A unanswered"),
    # Item 6: 6B or 6C yes and neither no; each shown only for its goals.
    case("6", FC, {}, S, "reunification efforts"),
    case("6", IH, {}, N, "in-home case"),
    case("6", FC, {"6B": "no"}, A, "no concerted efforts"),
    case(
        "6",
        FC,
        {"6A1": ["planned_arrangement"], "6B": "no", "6C": "yes"},
        S,
        "planned arrangement only, hidden 6B ignored",
    ),
    case("6", FC, {"6A1": ["planned_arrangement"], "6C": "no"}, A, "no planned-arrangement effort"),
    case("6", FC, {"6A1": ["planned_arrangement"]}, INC, "6C shown"),
    case("6", FC, {"6A1": ["adoption", "planned_arrangement"], "6C": "yes"}, S, "both goals yes"),
    case("6", FC, {"6A1": ["adoption", "planned_arrangement"], "6C": "no"}, A, "one yes, one no"),
    case("6", FC, {"6A1": None}, INC, "goals unanswered"),
    case("6", FC, {"6A2": None}, INC, "months in care unanswered"),
    # Item 7: placed with siblings, or a valid reason for separation.
    case("7", FC, {}, S, "placed together"),
    case("7", IH, {}, N, "in-home case"),
    case("7", FC, {"7-app": "no"}, N, "no sibling in care"),
    case("7", FC, {"7A": "no", "7B": "yes"}, S, "separated for a valid reason"),
    case("7", FC, {"7A": "no", "7B": "no"}, A, "separated without a valid reason"),
    case("7", FC, {"7A": "no"}, INC, "7B shown"),
    case("7", FC, {"7B": "no"}, S, "hidden 7B ignored"),
    # Item 8: at least one yes, no no, over the people the item covers.
    case("8", FC, {}, S, "visits with both parents good"),
    case("8", IH, {}, N, "in-home case"),
    case("8", FC, {"8-app-mother": "no", "8-app-father": "no"}, N, "nobody to visit"),
    case("8", FC, {"8A2": "no"}, A, "too few visits with mother"),
    case("8", FC, {"8B3": "no"}, A, "poor visits with father"),
    case("8", FC, {"8A3": "na", "8B3": "na"}, S, "quality NA"),
    case("8", FC, {"8-app-mother": "no", "8A2": "no"}, S, "hidden mother answers ignored"),
    case("8", FC, {"8-app-siblings": "yes"}, INC, "sibling questions shown"),
    case(
        "8",
        FC,
        {"8-app-siblings": "yes", "8C1": "never", "8C2": "no", "8C3": "na"},
        A,
        "no visits with siblings",
    ),
    case("8", FC, {"8A1": None}, INC, "usual frequency unanswered"),
    case(
        "8",
        FC,
        {
            "8-app-mother": "no",
            "8-app-father": "no",
            "8-app-siblings": "yes",
            "8C2": "na",
            "8C3": "na",
        },
        N,
        "short sibling separation, no visits needed",
    ),
    case(
        "8",
        FC,
        {"8-app-siblings": "yes", "8C2": "na", "8C3": "na"},
        S,
        "parents' visits good, siblings apart briefly",
    ),
    # Item 9: 9A yes, 9C and 9D yes/NA; 9B is data only.
    case("9", FC, {}, S, "connections kept"),
    case("9", IH, {}, N, "in-home case"),
    case("9", FC, {"9A": "no"}, A, "connections not kept"),
    case("9", FC, {"9B": "no"}, S, "9B does not count"),
    case("9", FC, {"9C": "yes", "9D": "yes"}, S, "tribe told, preferences followed"),
    case("9", FC, {"9C": "no"}, A, "tribe not told"),
    case("9", FC, {"9D": "no"}, A, "preferences not followed"),
    case("9", FC, {"9B": None}, INC, "9B still required"),
    # Item 10: a stable fitting relative placement, or 10B and 10C yes/NA.
    case("10", FC, {}, S, "stable relative placement"),
    case("10", IH, {}, N, "in-home case"),
    case("10", FC, {"10-app": "no"}, N, "relatives could not be considered"),
    case("10", FC, {"10A2": "no", "10B": "yes", "10C": "na"}, S, "unfit placement, search made"),
    case("10", FC, {"10A1": "no", "10B": "na", "10C": "na"}, S, "10B and 10C both NA"),
    case("10", FC, {"10A1": "no", "10B": "yes", "10C": "no"}, A, "paternal search missing"),
    case(
        "10",
        FC,
        {"10A1": "no", "10B": "yes", "10C": "yes", "10B1": ["locate"]},
        A,
        "a checked failed step forces 10B no",
    ),
    case(
        "10",
        FC,
        {"10A1": "no", "10B": "yes", "10C1": ["inform"]},
        A,
        "forced 10C counts as answered",
    ),
    case("10", FC, {"10A1": "no"}, INC, "10B and 10C shown"),
    case("10", FC, {"10B": "no", "10B1": ["identify"]}, S, "hidden search questions ignored"),
    case("10", FC, {"10A2": None}, INC, "10A2 unanswered"),
    # Item 11: at least one yes, no no.
    case("11", FC, {}, S, "both relationships supported"),
    case("11", IH, {}, N, "in-home case"),
    case("11", FC, {"11-app-mother": "no", "11-app-father": "no"}, N, "neither parent applies"),
    case("11", FC, {"11A": "no"}, A, "mother not supported"),
    case("11", FC, {"11-app-father": "no", "11B": "no"}, S, "hidden father answer ignored"),
    case("11", FC, {"11B": None}, INC, "11B unanswered"),
    # Item 12 (sub-items) is tested separately below.
    # Item 13: at least one yes, no no, over child, mother and father.
    case("13", FC, {}, S, "everyone involved"),
    case("13", IH, {}, S, "in-home case"),
    case(
        "13",
        FC,
        {"13-app-child": "no", "13-app-mother": "no", "13-app-father": "no"},
        N,
        "child too young, parents unavailable",
    ),
    case("13", FC, {"13A": "no"}, A, "child not involved"),
    case("13", IH, {"13C": "no"}, A, "father not involved"),
    case("13", FC, {"13-app-child": "no", "13A": "no"}, S, "hidden child answer ignored"),
    case("13", FC, {"13C": None}, INC, "13C unanswered"),
    case("13", FC, {"13-app-child": None}, INC, "applicability unanswered"),
    # Item 14: frequency and quality both yes.
    case("14", FC, {}, S, "visits good"),
    case("14", IH, {}, S, "in-home case"),
    case("14", FC, {"14A": "no"}, A, "too few visits"),
    case("14", FC, {"14B": "no"}, A, "poor visits"),
    case("14", FC, {"14-freq": None}, INC, "usual frequency unanswered"),
    # Item 15: at least one yes, no no, over mother and father.
    case("15", FC, {}, S, "visits good"),
    case("15", IH, {}, S, "in-home case"),
    case("15", IH, {"15-app-mother": "no", "15-app-father": "no"}, N, "neither parent applies"),
    case("15", FC, {"15A2": "no"}, A, "too few visits with mother"),
    case("15", FC, {"15B3": "no"}, A, "poor visits with father"),
    case("15", FC, {"15A3": "na", "15B3": "na"}, S, "quality NA"),
    case("15", FC, {"15-app-father": "no", "15B2": "no"}, S, "hidden father answer ignored"),
    case("15", FC, {"15A1": None}, INC, "usual frequency unanswered"),
    # Item 16: assessed, and addressed or NA.
    case("16", FC, {}, S, "foster care, needs met"),
    case("16", IH, {}, S, "in-home, education relevant"),
    case("16", FC, {"16-app-fc": "no"}, N, "young child with no delays"),
    case("16", IH, {"16-app-ih": "no"}, N, "in-home, education not relevant"),
    case("16", FC, {"16-app-ih": "no"}, S, "in-home question hidden in foster care"),
    case("16", IH, {"16-app-ih": None}, INC, "applicability unanswered"),
    case("16", FC, {"16A": "no"}, A, "not assessed"),
    case("16", FC, {"16B": "no"}, A, "not addressed"),
    case("16", FC, {"16B": "na"}, S, "no needs found"),
    case("16", FC, {"16B": None}, INC, "16B unanswered"),
    # Item 17: no no; always applies in foster care.
    case("17", FC, {"17-app": "no"}, S, "foster care ignores the in-home question"),
    case("17", IH, {}, S, "in-home, health relevant"),
    case("17", IH, {"17-app": "no"}, N, "in-home, health not relevant"),
    case("17", IH, {"17-app": None}, INC, "applicability unanswered"),
    case("17", FC, {"17A1": "no"}, A, "physical needs not assessed"),
    case("17", FC, {"17A2": "no"}, A, "dental needs not assessed"),
    case("17", FC, {"17B1": "no"}, A, "medicines not overseen"),
    case("17", FC, {"17B3": "no"}, A, "no dental services"),
    case("17", FC, {"17A2": "na", "17B1": "na", "17B2": "na", "17B3": "na"}, S, "NA answers"),
    case("17", FC, {"17A1": None}, INC, "17A1 unanswered"),
    # Item 18: no no; only when the child had such needs.
    case("18", FC, {}, S, "needs met"),
    case("18", IH, {}, S, "in-home case"),
    case("18", FC, {"18-app": "no"}, N, "no mental health needs"),
    case("18", IH, {"18-app": "no"}, N, "in-home, no needs"),
    case("18", FC, {"18A": "no"}, A, "not assessed"),
    case("18", FC, {"18B": "no"}, A, "medicines not overseen"),
    case("18", FC, {"18C": "no"}, A, "no services"),
    case("18", FC, {"18B": "na", "18C": "na"}, S, "NA answers"),
    case("18", FC, {"18C": None}, INC, "18C unanswered"),
]


@pytest.mark.parametrize(("item", "case_type", "changes", "expected"), ITEM_CASES)
def test_item_rule(item, case_type, changes, expected):
    assert rate(case_type, changes).items[item].rating == expected


def test_every_item_has_cases():
    covered = {(p.values[0], p.values[3]) for p in ITEM_CASES}
    for item in INSTRUMENT.items:
        if item == "12":
            continue
        needed = {S, A, INC} | ({N} if item not in ("3", "14") else set())
        assert needed <= {r for i, r in covered if i == item}, item


@pytest.mark.parametrize("item", [str(n) for n in range(4, 12)])
@pytest.mark.parametrize("given", [{}, None], ids=["answered", "unanswered"])
def test_permanency_items_not_applicable_in_home(item, given):
    """In-home cases rate items 4-11 NA, whether or not permanency questions were answered."""
    changes = (
        {}
        if given is not None
        else {q.id: None for q in INSTRUMENT.item_questions(INSTRUMENT.items[item])}
    )
    result = rate(IH, changes).items[item]
    assert (result.rating, result.missing) == (N, [])


@pytest.mark.parametrize(
    ("case_type", "changes", "rating", "subitems"),
    [
        pytest.param(FC, {}, S, "SSS", id="foster care, all good"),
        pytest.param(IH, {}, S, "SSN", id="in-home: 12C does not apply"),
        pytest.param(IH, {"12C1": "no"}, S, "SSN", id="in-home ignores 12C answers"),
        pytest.param(FC, {"12-app-foster": "no"}, S, "SSN", id="no foster family"),
        pytest.param(
            FC, {"12-app-mother": "no", "12-app-father": "no"}, S, "SNS", id="no parent applies"
        ),
        pytest.param(FC, {"12A1": "no"}, A, "ASS", id="child not assessed"),
        pytest.param(FC, {"12A2": "na"}, S, "SSS", id="child services NA"),
        pytest.param(FC, {"12A2": "no"}, A, "ASS", id="child services missing"),
        pytest.param(IH, {"12B2": "no"}, A, "SAN", id="father not assessed"),
        pytest.param(FC, {"12B3": "no"}, A, "SAS", id="mother services missing"),
        pytest.param(
            FC,
            {"12-app-mother": "no", "12B1": "no", "12B3": "no"},
            S,
            "SSS",
            id="hidden mother answers ignored",
        ),
        pytest.param(FC, {"12C1": "no"}, A, "SSA", id="foster parents not assessed"),
        pytest.param(FC, {"12C2": "no"}, A, "SSA", id="foster parents not served"),
        pytest.param(FC, {"12A1": "no", "12C1": "no"}, A, "ASA", id="two sub-items ANI"),
        pytest.param(FC, {"12C2": None}, INC, "SSI", id="12C incomplete"),
        pytest.param(FC, {"12A1": None, "12B1": "no"}, INC, "IAS", id="incomplete beats ANI"),
        pytest.param(FC, {"12-app-father": None}, INC, "", id="applicability unanswered"),
    ],
)
def test_item_12_combines_subitems(case_type, changes, rating, subitems):
    result = rate(case_type, changes).items["12"]
    letters = {"S": S, "A": A, "N": N, "I": INC}
    expected = (
        dict(zip(("12A", "12B", "12C"), (letters[c] for c in subitems), strict=True))
        if subitems
        else {}
    )
    assert (result.rating, result.subitems) == (rating, expected)


@pytest.mark.parametrize(
    ("case_type", "changes", "item", "missing"),
    [
        (FC, {"1A": 2}, "1", ["1C"]),
        (FC, {"4A": 2, "4C": None}, "4", ["4B", "4C"]),
        (FC, {"5-app-60": "no"}, "5", ["5-app-goal"]),
        (FC, {"6A1": ["planned_arrangement"]}, "6", ["6C"]),
        (FC, {"8-app-siblings": "yes"}, "8", ["8C2", "8C3"]),
        (FC, {"10A1": "no", "10C1": ["evaluate"]}, "10", ["10B"]),
        (FC, {"12C2": None, "12B4": None}, "12", ["12B4", "12C2"]),
        (IH, {"16-app-ih": None}, "16", ["16-app-ih"]),
    ],
)
def test_incomplete_items_name_the_missing_questions(case_type, changes, item, missing):
    assert rate(case_type, changes).items[item].missing == missing


@pytest.mark.parametrize(
    ("changes", "question", "value"),
    [
        ({"4C": "yes", "4C1": ["caregiver_request"]}, "4C", "no"),
        ({"10A1": "no", "10B": "yes", "10B1": ["identify", "locate"]}, "10B", "no"),
        ({"10A1": "no", "10C": "na", "10C1": ["evaluate"]}, "10C", "no"),
    ],
)
def test_checked_reasons_force_the_parent_answer(changes, question, value):
    evaluation = rate(FC, changes).evaluation
    assert evaluation.value(question) == value and question in evaluation.forced


def test_unchecked_reasons_force_nothing():
    evaluation = rate(FC, {"4C1": []}).evaluation
    assert evaluation.value("4C") == "yes" and "4C" not in evaluation.forced


def test_good_answers_rate_every_applicable_item_strength():
    foster, in_home = rate(FC), rate(IH)
    assert {r.rating for r in foster.items.values()} == {S}
    assert {i for i, r in in_home.items.items() if r.rating == N} == {str(n) for n in range(4, 12)}
    assert {r.rating for i, r in in_home.items.items() if r.rating != N} == {S}
