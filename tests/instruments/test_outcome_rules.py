"""Every outcome rule of cfsr-round4: each clause, all items Not Applicable, and Incomplete.

A case is described by one letter per item of the outcome, in order: S Strength,
A ANI, N Not Applicable, I Incomplete. The answers come from the "all good" set
with the changes that give each item that rating; the test first checks that the
items did get those ratings, then the outcome rating.
"""

import pytest

from review_app.instruments.engine import (
    ANI,
    INCOMPLETE,
    NA,
    NOT_ACHIEVED,
    PARTIAL,
    STRENGTH,
    SUBSTANTIAL,
    rate_outcome,
)
from tests.instruments.answer_sets import FC, IH, INSTRUMENT, TO_ANI, TO_INCOMPLETE, TO_NA, rate

ITEM = {"S": STRENGTH, "A": ANI, "N": NA, "I": INCOMPLETE}
CHANGES = {"S": {}, "A": TO_ANI, "N": TO_NA, "I": TO_INCOMPLETE}
SA, PA, NOT, NA_, INC = SUBSTANTIAL, PARTIAL, NOT_ACHIEVED, NA, INCOMPLETE


def case(outcome, items, expected, case_type=FC):
    label = {
        SA: "substantially",
        PA: "partially",
        NOT: "not achieved",
        NA: "NA",
        INC: "incomplete",
    }[expected]
    return pytest.param(
        outcome, items, expected, case_type, id=f"{outcome} {items} {case_type} -> {label}"
    )


OUTCOME_CASES = [
    # Safety 1 (item 1): Strength -> SA, ANI -> not achieved.
    case("S1", "S", SA),
    case("S1", "S", SA, IH),
    case("S1", "A", NOT),
    case("S1", "N", NA_),
    case("S1", "I", INC),
    # Safety 2 (items 2, 3): item 2 NA counts on item 3 alone.
    case("S2", "SS", SA),
    case("S2", "NS", SA),
    case("S2", "NS", SA, IH),
    case("S2", "SA", PA),
    case("S2", "AS", PA),
    case("S2", "AA", NOT),
    case("S2", "NA", NOT),
    case("S2", "IS", INC),
    case("S2", "NI", INC),
    # Permanency 1 (items 4-6): the usual rule; in-home cases NA.
    case("P1", "SSS", SA),
    case("P1", "SNS", SA),
    case("P1", "SAS", PA),
    case("P1", "ANS", PA),
    case("P1", "AAS", PA),
    case("P1", "AAA", NOT),
    case("P1", "ANA", NOT),
    case("P1", "NNN", NA_, IH),
    case("P1", "SSI", INC),
    case("P1", "IAA", INC),
    # Permanency 2 (items 7-11): one ANI is tolerated.
    case("P2", "SSSSS", SA),
    case("P2", "NNSNN", SA),
    case("P2", "SSSSA", SA),
    case("P2", "ANSNN", SA),
    case("P2", "NNSAN", SA),
    case("P2", "SSSAA", PA),
    case("P2", "AASNN", PA),
    case("P2", "AAAAS", PA),
    case("P2", "AAAAA", NOT),
    case("P2", "NNANN", NOT),
    case("P2", "ANANA", NOT),
    case("P2", "NNNNN", NA_, IH),
    case("P2", "SSSSI", INC),
    case("P2", "IAAAA", INC),
    case("P2", "NNINN", INC),
    # Well-Being 1 (items 12-15): the usual rule.
    case("WB1", "SSSS", SA),
    case("WB1", "SNSN", SA),
    case("WB1", "SSSS", SA, IH),
    case("WB1", "SASS", PA),
    case("WB1", "ANSN", PA),
    case("WB1", "AAAS", PA),
    case("WB1", "AAAA", NOT),
    case("WB1", "ANAN", NOT),
    case("WB1", "SSSI", INC),
    case("WB1", "IAAA", INC),
    # Well-Being 2 (item 16): like Safety 1.
    case("WB2", "S", SA),
    case("WB2", "S", SA, IH),
    case("WB2", "A", NOT),
    case("WB2", "N", NA_),
    case("WB2", "I", INC),
    # Well-Being 3 (items 17, 18): the usual rule.
    case("WB3", "SS", SA),
    case("WB3", "SN", SA),
    case("WB3", "SA", PA),
    case("WB3", "AS", PA),
    case("WB3", "AA", NOT),
    case("WB3", "AN", NOT),
    case("WB3", "NN", NA_, IH),
    case("WB3", "IS", INC),
    case("WB3", "SI", INC),
]


def changes_for(outcome, letters):
    """Merge the answer changes that give each item of the outcome its rating."""
    changes = {}
    for item, letter in zip(INSTRUMENT.outcomes[outcome].items, letters, strict=True):
        changes.update(CHANGES[letter].get(item, {}))  # none needed: in-home items 4-11
    return changes


@pytest.mark.parametrize(("outcome", "items", "expected", "case_type"), OUTCOME_CASES)
def test_outcome_rule(outcome, items, expected, case_type):
    ratings = rate(case_type, changes_for(outcome, items))
    item_ids = INSTRUMENT.outcomes[outcome].items
    assert [ratings.items[i].rating for i in item_ids] == [ITEM[c] for c in items]
    assert ratings.outcomes[outcome] == expected


def test_every_outcome_reaches_every_rating():
    reached = {(p.values[0], p.values[2]) for p in OUTCOME_CASES}
    for outcome in INSTRUMENT.outcomes:
        single = len(INSTRUMENT.outcomes[outcome].items) == 1
        wanted = {SA, NOT, INC} | (set() if single else {PA})
        wanted |= set() if outcome in ("S2", "WB1") else {NA_}  # see the test below
        assert wanted <= {r for o, r in reached if o == outcome}, outcome


@pytest.mark.parametrize("outcome", ["S2", "WB1"])
def test_all_items_not_applicable_gives_not_applicable(outcome):
    """S2 and WB1 always have an applicable item (3; 12 and 14), so try the rule directly."""
    definition = INSTRUMENT.outcomes[outcome]
    assert rate_outcome(definition, dict.fromkeys(definition.items, NA)) == NA


@pytest.mark.parametrize("outcome", ["S1", "S2", "P1", "P2", "WB1", "WB2", "WB3"])
def test_outcomes_of_good_answers(outcome):
    assert rate(FC).outcomes[outcome] == SA
    assert rate(IH).outcomes[outcome] == (NA if outcome in ("P1", "P2") else SA)


def test_in_home_case_with_permanency_problems_still_not_applicable():
    ratings = rate(IH, {**TO_ANI["4"], **TO_ANI["7"], **TO_ANI["11"]})
    assert (ratings.outcomes["P1"], ratings.outcomes["P2"]) == (NA, NA)


def test_permanency_2_differs_from_permanency_1():
    """The same mix, one Strength and one ANI, rates differently under the two rules."""
    p1 = rate(FC, {**TO_NA["5"], **TO_ANI["6"]}).outcomes["P1"]
    p2 = rate(FC, {**TO_NA["7"], **TO_NA["8"], **TO_NA["10"], **TO_ANI["11"]}).outcomes["P2"]
    assert (p1, p2) == (PA, SA)
