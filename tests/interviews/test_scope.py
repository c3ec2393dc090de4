"""Interviews of a person limited to a region: the list, the inbox, the pages, the form."""

import re

import pytest
from sqlalchemy import select

from review_app.extensions import db
from review_app.interviews.models import Interview
from review_app.interviews.operations import start_thread
from review_app.qa.models import Thread
from tests.interviews.conftest import SITE, make_interview, user
from tests.scoped import in_local_site, limit_to_region, local_site_id

NORTH_TITLE, SOUTH_TITLE = "Panel of Adams judges", "Panel of Clark judges"


@pytest.fixture
def two_interviews(demo) -> dict[str, int]:
    """An interview in Adams and one in Clark County of "reviewer", each with a QA question."""
    made = {
        "north": make_interview(demo, title=NORTH_TITLE),
        "south": make_interview(demo, title=SOUTH_TITLE),
    }
    in_local_site(demo, made["south"], "Clark County")
    with demo.app_context():
        for interview_id in made.values():
            interview = db.session.get(Interview, interview_id)
            start_thread(user("qa"), interview, "24", "How are notices of hearings sent?")
        db.session.commit()
    return made


def _total(page: str) -> int:
    return int(re.search(r'<p role="status">(\d+) interview', page).group(1))


def test_the_interview_list_holds_the_regions_interviews_only(clients, two_interviews):
    limited = clients("qa_north").get(f"{SITE}/interviews").get_data(as_text=True)
    whole = clients("qa").get(f"{SITE}/interviews").get_data(as_text=True)
    assert NORTH_TITLE in limited and SOUTH_TITLE not in limited and "Clark County" not in limited
    assert NORTH_TITLE in whole and SOUTH_TITLE in whole
    assert _total(whole) == _total(limited) + 1


def test_an_interview_outside_the_region_does_not_exist(demo, clients, two_interviews):
    url = f"{SITE}/interviews/{two_interviews['south']}"
    assert clients("qa_north").get(url).status_code == 404
    assert clients("qa").get(url).status_code == 200
    with demo.app_context():
        thread_id = db.session.scalar(
            select(Thread.id).where(Thread.interview_id == two_interviews["south"])
        )
    reply = f"{url}/threads/{thread_id}/replies"
    assert clients("qa_north").post(reply, data={"body": "Seen."}).status_code == 404
    assert clients("qa").post(reply, data={"body": "Seen."}).status_code == 302


def test_a_limited_reviewers_inbox_holds_the_regions_interview_comments(
    demo, clients, two_interviews
):
    whole = clients("reviewer").get(f"{SITE}/inbox").get_data(as_text=True)
    assert "(Adams County), item 24" in whole and "(Clark County), item 24" in whole
    limit_to_region(demo, "reviewer")
    limited = clients("reviewer").get(f"{SITE}/inbox").get_data(as_text=True)
    assert "(Adams County), item 24" in limited and "(Clark County), item 24" not in limited


def _form(app, local: str) -> dict:
    return {
        "held_on": "2026-06-15",
        "local_site_id": str(local_site_id(app, local)),
        "title": "Focus group with foster parents",
        "stakeholder_types": ["foster_adoptive_parents"],
        "interviewer_id": str(user_id(app, "reviewer")),
        "official_note_taker_id": str(user_id(app, "reviewer")),
    }


def user_id(app, username: str) -> int:
    with app.app_context():
        return user(username).id


def test_a_limited_reviewer_is_offered_and_may_choose_their_local_sites_only(demo, clients):
    limit_to_region(demo, "reviewer")
    reviewer = clients("reviewer")
    page = reviewer.get(f"{SITE}/interviews/new").get_data(as_text=True)
    assert "Adams County (001)" in page and "Baker County (002)" in page
    assert "Clark County" not in page and "Dawson County" not in page
    with demo.app_context():
        before = db.session.query(Interview).count()
    refused = reviewer.post(f"{SITE}/interviews/new", data=_form(demo, "Clark County"))
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Clark County is outside the local sites your access reaches" in text
    with demo.app_context():
        assert db.session.query(Interview).count() == before
    made = reviewer.post(f"{SITE}/interviews/new", data=_form(demo, "Baker County"))
    assert made.status_code == 302


def test_a_limited_reviewer_cannot_move_an_interview_out_of_their_region(demo, clients):
    interview_id = make_interview(demo, title=NORTH_TITLE)
    limit_to_region(demo, "reviewer")
    edit = f"{SITE}/interviews/{interview_id}/edit"
    page = clients("reviewer").get(edit).get_data(as_text=True)
    assert "Clark County" not in page
    form = _form(demo, "Clark County") | {"supporting_ids": [str(user_id(demo, "reviewer2"))]}
    refused = clients("reviewer").post(edit, data=form)
    assert refused.status_code == 422
    assert "outside the local sites your access reaches" in refused.get_data(as_text=True)
    with demo.app_context():
        assert db.session.get(Interview, interview_id).local_site.name == "Adams County"
