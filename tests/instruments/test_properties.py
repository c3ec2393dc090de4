"""Properties of the rating engine that hold for any answers (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review_app.config import PROJECT_ROOT
from review_app.instruments.engine import INCOMPLETE, NA, evaluate, rate_case
from review_app.instruments.loader import load

INSTRUMENT = load(PROJECT_ROOT / "instruments" / "cfsr-round4.yaml")
CASE_TYPES = list(INSTRUMENT.definition.case_types)


def _answer_strategy(question):
    if question.kind in ("yes_no_na", "yes_no", "choice"):
        values = (
            ["yes", "no", "na"]
            if question.kind == "yes_no_na"
            else (
                ["yes", "no"]
                if question.kind == "yes_no"
                else [c.value for c in INSTRUMENT.choices(question)]
            )
        )
        return st.sampled_from(values)
    if question.kind == "multi":
        return st.lists(
            st.sampled_from([c.value for c in INSTRUMENT.choices(question)]),
            unique=True,
            max_size=3,
        )
    if question.kind == "number":
        return st.integers(min_value=0, max_value=5)
    if question.kind == "date":
        return st.dates().map(lambda d: d.isoformat())
    if question.kind == "table":
        return st.just([])
    return st.text(max_size=5)


# Any subset of questions answered with any fitting value.
ANSWERS = st.fixed_dictionaries(
    {}, optional={qid: _answer_strategy(q) for qid, q in INSTRUMENT.questions.items()}
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(case_type=st.sampled_from(CASE_TYPES), answers=ANSWERS, noise=ANSWERS)
def test_answers_to_hidden_questions_never_change_a_rating(case_type, answers, noise):
    asked = evaluate(INSTRUMENT, case_type, answers).asked
    hidden_noise = {qid: value for qid, value in noise.items() if qid not in asked}
    # Changing hidden answers can only matter if it changed what is asked; it must not.
    assert evaluate(INSTRUMENT, case_type, {**answers, **hidden_noise}).asked == asked
    assert (
        rate_case(INSTRUMENT, case_type, {**answers, **hidden_noise}).as_dict()
        == rate_case(INSTRUMENT, case_type, answers).as_dict()
    )


@SETTINGS
@given(case_type=st.sampled_from(CASE_TYPES), answers=ANSWERS)
def test_an_item_with_an_unanswered_required_question_is_incomplete(case_type, answers):
    ratings = rate_case(INSTRUMENT, case_type, answers)
    evaluation = ratings.evaluation
    for item in INSTRUMENT.definition.items:
        required = [
            q
            for q in INSTRUMENT.item_questions(item)
            if q.id in evaluation.asked and not q.optional
        ]
        if any(q.id not in evaluation.answers for q in required):
            assert ratings.items[item.id].rating == INCOMPLETE, item.id
        else:
            assert ratings.items[item.id].rating != INCOMPLETE, item.id


@SETTINGS
@given(case_type=st.sampled_from(CASE_TYPES), answers=ANSWERS)
def test_an_outcome_is_rated_only_when_all_its_items_are(case_type, answers):
    ratings = rate_case(INSTRUMENT, case_type, answers)
    for outcome in INSTRUMENT.definition.outcomes:
        item_ratings = [ratings.items[i].rating for i in outcome.items]
        if INCOMPLETE in item_ratings:
            assert ratings.outcomes[outcome.id] == INCOMPLETE
        else:
            assert ratings.outcomes[outcome.id] != INCOMPLETE
        if all(r == NA for r in item_ratings):
            assert ratings.outcomes[outcome.id] == NA
