"""A trainee resets their own practice copy to try again, where the site allows it."""

import pytest
from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.cases.models import Case
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.qa.models import Thread
from review_app.qa.operations import start_thread
from review_app.ratings import queries as rating_queries
from review_app.training.models import PracticeScore
from review_app.training.operations import reset_copy
from tests.conftest import login
from tests.training.conftest import SITE, rate_copy, start, submit, user, words


def _scored_copy(app, clients, key_id: int, changes: dict) -> int:
    copy_id = start(clients("reviewer"), key_id)
    rate_copy(app, copy_id, changes)
    assert submit(clients("reviewer"), app, copy_id).status_code == 302
    return copy_id


def test_the_trainee_resets_their_copy_tries_again_and_improves(demo, clients, key_id):
    reviewer = clients("reviewer")
    copy_id = _scored_copy(demo, clients, key_id, {"3B": "no", "14A": "no"})
    with demo.app_context():
        start_thread(user("qa"), db.session.get(Case, copy_id), "3", "3B", "Look again at 3B.")
        db.session.commit()
    response = reviewer.post(f"{SITE}/cases/{copy_id}/reset")
    assert "cleared: rate it again" in words(reviewer.get(response.location))
    with demo.app_context():
        copy = db.session.get(Case, copy_id)
        assert copy.status == "in_progress" and copy.submitted_at is None
        assert all(q.startswith("FS-") for q in rating_queries.answers(copy))
        assert not db.session.scalar(select(Thread.id).where(Thread.case_id == copy_id))
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "training.reset"))
        assert entry.actor_name == "reviewer" and entry.after["next_attempt"] == 2
    rate_copy(demo, copy_id)
    response = submit(reviewer, demo, copy_id)
    page = words(reviewer.get(response.location))
    assert "Attempt 2 by Riley Reviewer" in page and "18 of 18 (100.0%" in page
    assert "Attempt 1: 88.9%" in page  # the earlier attempt is kept and linked
    assert "Nowhere: every rating and answer agrees with the key." in page
    practice = words(reviewer.get(f"{SITE}/practice"))
    assert "Submitted for QA 2 100.0%, passed" in practice  # attempts scored, best agreement
    with demo.app_context():
        scores = db.session.scalars(select(PracticeScore).order_by(PracticeScore.attempt)).all()
        assert [(s.attempt, s.items_agreed, s.is_passed) for s in scores] == [
            (1, 16, True),
            (2, 18, True),
        ]


def test_only_the_copys_trainee_can_reset_it(demo, clients, key_id):
    copy_id = _scored_copy(demo, clients, key_id, {})
    for who, status in [("reviewer2", 403), ("admin", 403), ("qa", 403), ("observer", 403)]:
        assert clients(who).post(f"{SITE}/cases/{copy_id}/reset").status_code == status, who
    with demo.app_context():
        copy = db.session.get(Case, copy_id)
        with pytest.raises(OperationError, match="Only the trainee whose practice case this is"):
            reset_copy(user("reviewer2"), copy)
        assert copy.status == "submitted"


def test_a_copy_held_by_qa_is_not_reset(demo, clients, key_id):
    copy_id = _scored_copy(demo, clients, key_id, {})
    with demo.app_context():
        version = db.session.get(Case, copy_id).status_version
    clients("qa").post(
        f"{SITE}/cases/{copy_id}/status", data={"action": "take", "status_version": version}
    )
    response = clients("reviewer").post(f"{SITE}/cases/{copy_id}/reset")
    page = words(clients("reviewer").get(response.location))
    assert "This practice case is in qa, level 1, so it cannot be reset now." in page


def test_no_reset_where_the_site_does_not_allow_it(demo, clients, key_id, app_with_settings):
    copy_id = _scored_copy(demo, clients, key_id, {})
    strict = app_with_settings(
        "training", "allow_practice_reset = true", "allow_practice_reset = false"
    )
    client = strict.test_client()
    login(client, "reviewer")
    assert "Reset the copy" not in words(client.get(f"{SITE}/cases/{copy_id}/score"))
    response = client.post(f"{SITE}/cases/{copy_id}/reset")
    page = words(client.get(response.location))
    assert "This site does not allow practice cases to be reset." in page
    with demo.app_context():
        assert db.session.get(Case, copy_id).status == "submitted"
