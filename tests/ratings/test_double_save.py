"""A save sent twice by the same person is not "someone else saved while you were editing"."""

import pytest
from sqlalchemy import func, select

from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.ratings.models import Answer, ItemReview
from tests.conftest import login
from tests.ratings.test_item_pages import _case_of, _post_item


@pytest.fixture
def reviewer(demo):
    client = demo.test_client()
    login(client, "reviewer")
    return client


def _saves(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "case.item_save", AuditEntry.object_id == case_id
            )
        )


def test_a_double_clicked_save_saves_once_and_says_saved(demo, reviewer):
    case_id = _case_of(demo, "reviewer")
    start = _saves(demo, case_id)
    with demo.app_context():
        version = db.session.scalar(
            select(ItemReview.lock_version).where(
                ItemReview.case_id == case_id, ItemReview.item_id == "2"
            )
        )
    answers = {"2-app": "yes", "2A": "yes", "2B": "na"}
    first = _post_item(reviewer, case_id, "2", answers, version, rationale="same words")
    second = _post_item(reviewer, case_id, "2", answers, version, rationale="same words")
    assert first.status_code == 302 and second.status_code == 302
    page = reviewer.get(second.location).get_data(as_text=True)
    assert "Item 2 saved" in page and "while you were editing" not in page
    assert _saves(demo, case_id) == start + 1  # one change, recorded once


def test_a_second_different_save_from_the_same_person_says_it_was_theirs(demo, reviewer):
    case_id = _case_of(demo, "reviewer")
    with demo.app_context():
        version = db.session.scalar(
            select(ItemReview.lock_version).where(
                ItemReview.case_id == case_id, ItemReview.item_id == "2"
            )
        )
    ok = _post_item(reviewer, case_id, "2", {"2-app": "yes", "2A": "yes", "2B": "na"}, version)
    assert ok.status_code == 302
    again = _post_item(
        reviewer, case_id, "2", {"2-app": "yes", "2A": "no", "2B": "na"}, version, rationale="x"
    )
    page = again.get_data(as_text=True)
    assert again.status_code == 409
    assert "You already saved this item" in page and "the page shows what was saved" in page
    assert "while you were editing" not in page and "Someone else saved" not in page
    with demo.app_context():
        stored = db.session.scalar(
            select(Answer.value).where(Answer.case_id == case_id, Answer.question_id == "2A")
        )
    assert stored == "yes"
