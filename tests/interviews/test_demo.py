"""The demo interviews are made through the real operations and read as each role expects."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.extensions import db
from tests.interviews.conftest import SITE, period_of


def test_demo_interviews_and_ratings(demo, clients):
    from review_app.demo.interviews import seed_interviews

    with demo.app_context():
        people = {u.username: u for u in db.session.scalars(select(User))}
        made = seed_interviews(period_of(), people)
        db.session.commit()
        statuses = [interview.status for interview in made]
        period_id = period_of().id
    assert statuses == ["complete", "complete", "draft"]
    page = clients("observer").get(f"{SITE}/systemic/periods/{period_id}").get_data(as_text=True)
    assert "0 Strength, 2 Areas Needing Improvement, 16 not rated yet" in page
    inbox = clients("reviewer").get(f"{SITE}/inbox").get_data(as_text=True)
    assert "How many weeks before they carry cases?" in inbox
