"""The demo Training site: two published keys and a trainee who reset one and improved."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.demo.training import seed_training
from review_app.extensions import db
from review_app.sites.queries import site_by_slug
from review_app.training.models import KeyExplanation, PracticeScore
from tests.training.conftest import SITE, words


def test_seed_training_publishes_keys_and_scores_a_trainees_attempts(demo, clients):
    with demo.app_context():
        people = {u.username: u for u in db.session.scalars(select(User))}
        keys = seed_training(site_by_slug("demo", "training"), people)
        db.session.commit()
        assert all(key.is_key and not key.is_key_draft for key in keys)
        assert db.session.scalar(select(db.func.count(KeyExplanation.id))) >= 3
        scores = db.session.scalars(
            select(PracticeScore).order_by(PracticeScore.copy_id, PracticeScore.attempt)
        ).all()
        first, second, other = scores
        assert (first.copy_id, first.attempt, second.attempt) == (second.copy_id, 1, 2)
        assert second.item_percent > first.item_percent and second.is_passed
        assert other.key_id == keys[1].id
        copy_id = first.copy_id
        assert db.session.get(Case, copy_id).key_case_id == keys[0].id
    page = words(clients("reviewer").get(f"{SITE}/practice"))
    assert "KEY-FC-1" in page and "KEY-IH-2" in page and "passed" in page
    assert "Riley Reviewer (reviewer) 2 3 2" in words(clients("admin").get(f"{SITE}/progress"))
