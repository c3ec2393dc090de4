"""The item page says what the item still needs, by question number and label, with links."""

import html
import json
import re

import pytest

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.schema import Question
from review_app.ratings import followups, queries
from review_app.ratings.completeness import gaps, item_gaps
from tests.conftest import login
from tests.ratings.test_item_pages import SITE, _case_of, _post_item

Q_1A = "1A. How many of these reports were not started within the state&#39;s time frames?"


@pytest.fixture
def reviewer(demo):
    client = demo.test_client()
    login(client, "reviewer")
    return client


def _needs(page: str) -> list[tuple[str, str]]:
    """Return (link target, text) of each entry of the page's "still needs" list."""
    section = page.split('id="still-needs-list"', 1)[1].split("</ul>", 1)[0]
    return [
        (href, " ".join(text.split()))
        for href, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', section, re.S)
    ]


def _page(client, case_id, item_id="1") -> str:
    return client.get(f"{SITE}/cases/{case_id}/items/{item_id}").get_data(as_text=True)


def test_an_unanswered_item_says_which_question_it_needs(demo, reviewer):
    case_id = _case_of(demo, "reviewer")
    page = _page(reviewer, case_id)
    assert "What this item still needs" in page
    needs = _needs(page)
    assert needs[0][0] == "a-1-app-0"  # the first radio button of the question
    assert needs[0][1].startswith("Answer Was an accepted report of maltreatment")
    assert "1-app" not in needs[0][1]  # an internal id is not how people know a question


def test_the_list_follows_the_saved_answers_to_the_rationale(demo, reviewer):
    case_id = _case_of(demo, "reviewer")
    response = _post_item(reviewer, case_id, "1", {"1-app": "yes"}, app=demo)
    page = reviewer.get(response.location).get_data(as_text=True)
    assert "Its rating is now: Incomplete." in page
    assert "“What this item still needs” says what is missing" in page
    assert _needs(page) == [
        ("a-1A", f"Answer {Q_1A}"),
        (
            "a-1B",
            "Answer 1B. How many of these reports had no face-to-face contact with the child "
            "within the state&#39;s time frames?",
        ),
    ]

    _post_item(reviewer, case_id, "1", {"1-app": "yes", "1A": "2", "1B": "0"}, app=demo)
    needs = _needs(_page(reviewer, case_id))
    assert [href for href, _ in needs] == ["a-1C-0"]

    _post_item(reviewer, case_id, "1", {"1-app": "yes", "1A": "2", "1B": "0", "1C": "no"}, app=demo)
    needs = _needs(_page(reviewer, case_id))
    assert needs == [
        (
            "a-1C-narrative",
            "Explain the answer “No” to 1C. "
            "Were the delays caused by circumstances beyond the agency&#39;s control?",
        ),
        ("rationale-text", "Write the rationale for the rating"),
    ]

    answers = {"1-app": "yes", "1A": "2", "1B": "0", "1C": "no", "1C__narrative": "Two late."}
    _post_item(reviewer, case_id, "1", answers, rationale="Two reports started late.", app=demo)
    page = _page(reviewer, case_id)
    assert _needs(page) == []
    assert "Nothing: every answer, narrative and the rationale it needs is in place." in page


def test_the_item_list_is_the_case_list_for_that_item(demo):
    """One rule: the item page and the case's completeness list never disagree."""
    case_id = _case_of(demo, "reviewer")
    with demo.app_context():
        case = db.session.get(Case, case_id)
        instrument = get_instrument(case.period.instrument_version)
        ratings, rows, reviews = queries.case_ratings(case, instrument)
        everything = gaps(instrument, ratings, rows, reviews)
        by_item = [
            gap
            for item_id in ["face", *instrument.items]
            for gap in item_gaps(instrument, ratings, rows, reviews, item_id)
        ]
    assert sorted(everything, key=repr) == sorted(by_item, key=repr)
    assert {gap.kind for gap in everything} <= {"answer", "narrative", "rationale"}


def test_the_page_embeds_the_rating_rules_its_script_lists_from(demo, reviewer):
    case_id = _case_of(demo, "reviewer")
    page = _page(reviewer, case_id, "3")
    data = json.loads(
        html.unescape(re.search(r'id="item-logic">(.*?)</script>', page, re.S).group(1))
    )
    assert data["rating"]["subitems"] == [] and data["rating"]["rule"]["strength_when"]
    assert data["narrative_on"]["3D"] == ["yes"] and "3D1" not in data["narrative_on"]
    assert data["labels"]["3A"].startswith("3A. ")
    assert "3A" in data["required"]


def test_numbers_go_in_number_inputs(demo, reviewer):
    case_id = _case_of(demo, "reviewer")
    _post_item(reviewer, case_id, "1", {"1-app": "yes"}, app=demo)
    page = _page(reviewer, case_id)
    field = re.search(r'<input[^>]*id="a-1A"[^>]*>', page, re.S).group(0)
    assert 'type="number"' in field and 'inputmode="numeric"' in field and 'min="0"' in field


def test_a_question_number_is_shown_and_an_internal_id_is_not():
    assert followups.question_label(Question(id="3D1", kind="yes_no", text="Was it?")) == (
        "3D1. Was it?"
    )
    assert followups.question_label(Question(id="5-app-60", kind="yes_no", text="Was it?")) == (
        "Was it?"
    )
