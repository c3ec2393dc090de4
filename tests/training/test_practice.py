"""Trainees practise on their own copy of a key, never see the key first, and get a score."""

import pytest
from sqlalchemy import select

from review_app.cases.models import Case
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import NA, rate_case
from review_app.ratings import queries as rating_queries
from review_app.training.key_operations import save_explanations
from review_app.training.models import PracticeScore
from review_app.training.operations import score_submission
from review_app.training.scoring import compare
from tests.training.conftest import (
    SITE,
    key_answers,
    new_case,
    rate_copy,
    start,
    submit,
    user,
    words,
)


def test_starting_gives_the_trainee_their_own_copy_with_the_keys_facts_only(demo, clients, key_id):
    reviewer = clients("reviewer")
    assert "KEY-T1" in reviewer.get(f"{SITE}/practice").get_data(as_text=True)
    copy_id = start(reviewer, key_id)
    assert start(reviewer, key_id) == copy_id  # starting again opens the same copy
    with demo.app_context():
        copy, key = db.session.get(Case, copy_id), db.session.get(Case, key_id)
        assert copy.case_number == "KEY-T1 by Riley Reviewer" and copy.key_case_id == key_id
        assert not copy.is_key and [u.username for u in copy.reviewers] == ["reviewer"]
        assert (copy.period_id, copy.local_site_id, copy.child_name) == (
            key.period_id,
            key.local_site_id,
            key.child_name,
        )
        answers = rating_queries.answers(copy)
        assert answers and all(q.startswith("FS-") for q in answers)  # the face sheet only
    page = reviewer.get(f"{SITE}/cases/{copy_id}").get_data(as_text=True)
    assert "Practice copy of an answer key." in page


def test_the_keys_answers_stay_hidden_from_trainees_until_they_submit(demo, clients, key_id):
    reviewer = clients("reviewer")
    copy_id = start(reviewer, key_id)
    for url in [
        f"/cases/{key_id}",
        f"/cases/{key_id}/items/3",
        f"/cases/{key_id}/history",
        f"/cases/{key_id}/score",
        f"/reports/cases/{key_id}/summary",
        f"/answer-keys/{key_id}",
        f"/answer-keys/{key_id}/items/3",
    ]:
        assert reviewer.get(SITE + url).status_code in (403, 404), url
    for url in [
        "/practice",
        "/cases/mine",
        "/cases",
        f"/cases/{copy_id}",
        f"/cases/{copy_id}/items/3",
        f"/cases/{copy_id}/history",
        f"/cases/{copy_id}/score",
    ]:
        page = reviewer.get(SITE + url).get_data(as_text=True)
        assert "The experts&#39; rationale." not in page, url
        assert f"/cases/{key_id}" not in page, url
    page = reviewer.get(f"{SITE}/cases/{copy_id}/score").get_data(as_text=True)
    assert "Not scored yet." in page and "stay hidden until then" in page


def test_a_trainees_copy_is_hidden_from_other_trainees(demo, clients, key_id):
    mine = start(clients("reviewer"), key_id)
    theirs = start(clients("reviewer2"), key_id)
    assert theirs != mine
    other = clients("reviewer2")
    for url in (f"/cases/{mine}", f"/cases/{mine}/items/1", f"/cases/{mine}/score"):
        assert other.get(SITE + url).status_code == 403, url
    assert other.post(f"{SITE}/cases/{mine}/reset").status_code == 403
    listed = other.get(f"{SITE}/cases/mine").get_data(as_text=True)
    assert "KEY-T1 by Robin Reviewer" in listed and "KEY-T1 by Riley" not in listed


def test_submitting_a_copy_scores_it_item_by_item_against_the_key(demo, clients, key_id):
    with demo.app_context():
        save_explanations(
            user("admin"), db.session.get(Case, key_id), "3", {"3B": "See the March visit."}
        )
        db.session.commit()
    reviewer = clients("reviewer")
    copy_id = start(reviewer, key_id)
    rate_copy(demo, copy_id, {"3B": "no", "14A": "no"})
    response = submit(reviewer, demo, copy_id)
    assert response.location.endswith(f"/cases/{copy_id}/score")
    page = words(reviewer.get(response.location))
    assert "Attempt 1 by Riley Reviewer, submitted" in page and ": passed" in page
    assert "Item ratings that agree with the key: 16 of 18 (88.9%; 80% passes)" in page
    assert "Answers that agree with the key: 88 of 90 (97.8%)" in page
    assert "Item 3: Risk and safety assessment and management Area Needing Improvement " in page
    assert "3B. " in page and "Your answer: No The key's answer: Yes" in page
    assert "Explanation: See the March visit." in page
    assert "The key's rationale: The experts' rationale." in page
    assert page.count(" Differs ") == 2
    with demo.app_context():
        score = db.session.scalar(select(PracticeScore).where(PracticeScore.copy_id == copy_id))
        figures = (score.items_agreed, score.items_compared, score.answers_agreed)
        assert figures == (16, 18, 88) and score.answers_compared == 90
        assert score.is_passed and score.attempt == 1 and score.key_id == key_id
        assert {i.item_id for i in score.items if not i.is_agreed} == {"3", "14"}
        assert db.session.get(Case, copy_id).status == "submitted"


def test_items_not_applicable_in_both_are_left_out_of_the_score(demo):
    with demo.app_context():
        instrument = get_instrument("cfsr-round4")
        case = new_case("IH-NA", "in_home")
        answers = key_answers(case)
        key = rate_case(instrument, "in_home", answers)
        result = compare(instrument, key, rate_case(instrument, "in_home", answers))
        applicable = [i for i, r in key.items.items() if r.effective != NA]
        assert [item.item_id for item in result.items] == applicable
        assert "4" not in applicable  # foster care items are NA in an in-home case
        assert result.items_agreed == result.items_compared == len(applicable)
        assert result.item_percent == 100.0 and result.passes(100)
        db.session.rollback()


def test_a_case_without_a_key_has_no_score_and_says_so(demo, clients):
    with demo.app_context():
        case = new_case("PLAIN-1", reviewers=["reviewer"])
        db.session.commit()
        case_id = case.id
        with pytest.raises(OperationError, match="not a practice copy of an answer key"):
            score_submission(user("reviewer"), db.session.get(Case, case_id))
    response = clients("reviewer").get(f"{SITE}/cases/{case_id}/score")
    assert response.status_code == 404
    assert "is not a practice copy of an answer key, so there is nothing to score it against" in (
        response.get_data(as_text=True)
    )


def test_a_copy_cannot_be_submitted_while_its_key_is_withdrawn(demo, clients, key_id):
    reviewer = clients("reviewer")
    copy_id = start(reviewer, key_id)
    rate_copy(demo, copy_id)
    clients("admin").post(f"{SITE}/answer-keys/{key_id}/withdraw")
    page = reviewer.get(submit(reviewer, demo, copy_id).location).get_data(as_text=True)
    assert "is being revised, so this practice case cannot be scored now" in page
    assert "being revised" in reviewer.get(f"{SITE}/practice").get_data(as_text=True)
    with demo.app_context():
        assert db.session.get(Case, copy_id).status == "in_progress"
        assert not db.session.scalar(select(PracticeScore.id))


def test_a_copy_keeps_the_keys_demographics_its_face_sheet_answers_predate(demo, clients, key_id):
    from review_app.cases.models import CaseRace

    with demo.app_context():
        key = db.session.get(Case, key_id)
        key.child_sex, key.child_hispanic = "female", "no"
        key.races = [CaseRace(race="asian"), CaseRace(race="white")]
        db.session.commit()
    copy_id = start(clients("reviewer"), key_id)
    with demo.app_context():
        copy = db.session.get(Case, copy_id)
        assert (copy.child_sex, copy.child_races, copy.child_hispanic) == (
            "female",
            ["asian", "white"],
            "no",
        )
        values = rating_queries.answer_values(rating_queries.answers(copy))
        assert values["FS-child-race"] == ["asian", "white"]
