"""Administrators follow trainees' progress: attempts, passes, scores and agreement per item."""

import pytest
from sqlalchemy import select

from review_app.accounts.operations import create_user
from review_app.cases.models import Case
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.operations import grant_access
from review_app.sites.queries import site_by_slug
from review_app.training.models import PracticeScore, PracticeScoreItem
from tests.core.test_query_counts import counted
from tests.training.conftest import SITE, rate_copy, start, submit, user, words

FAILING = {"3B": "no", "14A": "no", "13A": "no", "9A": "no"}  # 14 of 18 items agree


@pytest.fixture
def practised(demo, clients, key_id) -> int:
    """reviewer: a failed attempt, a reset and a perfect one; reviewer2: one attempt, 17 of 18."""
    copy_id = start(clients("reviewer"), key_id)
    rate_copy(demo, copy_id, FAILING)
    submit(clients("reviewer"), demo, copy_id)
    clients("reviewer").post(f"{SITE}/cases/{copy_id}/reset")
    rate_copy(demo, copy_id)
    submit(clients("reviewer"), demo, copy_id)
    other = start(clients("reviewer2"), key_id)
    rate_copy(demo, other, {"3B": "no"}, username="reviewer2")
    submit(clients("reviewer2"), demo, other)
    return copy_id


def test_the_progress_page_gives_each_trainees_figures(demo, clients, practised):
    page = words(clients("admin").get(f"{SITE}/progress"))
    assert "passes at 80% item agreement" in page
    # started, attempts scored, cases passed, latest, best
    assert "Riley Reviewer (reviewer) 1 2 1 100.0% 100.0%" in page
    assert "Robin Reviewer (reviewer2) 1 1 1 94.4% 94.4%" in page


def test_a_trainees_page_gives_attempts_over_time_and_agreement_per_item(demo, clients, practised):
    with demo.app_context():
        reviewer_id = user("reviewer").id
    page = words(clients("qa").get(f"{SITE}/progress/{reviewer_id}"))
    first = page.index("KEY-T1 1 14 of 18 (77.8%) 86 of 90 (95.6%) Not passed")
    second = page.index("KEY-T1 2 18 of 18 (100.0%) 90 of 90 (100.0%) Passed")
    assert first < second  # oldest first
    assert "Item 3: Risk and safety assessment and management 2 1 50.0% Agreed" in page
    assert "Item 1: Timeliness of initiating investigations" in page
    assert "2 2 100.0% Agreed" in page


def test_an_observer_reads_progress_but_a_trainee_does_not(demo, clients, practised):
    assert clients("observer").get(f"{SITE}/progress").status_code == 200
    assert clients("reviewer").get(f"{SITE}/progress").status_code == 403


def _grow(app, n: int) -> None:
    """Add n trainees to the Training site, and to "reviewer", two scored attempts each."""
    with app.app_context():
        site = site_by_slug("demo", "training")
        copy = db.session.scalar(select(Case).where(Case.key_case_id.is_not(None)))
        people = [user("reviewer")]
        for i in range(n):
            people.append(create_user(None, f"trainee{i}", f"Trainee {i}", "a-long-password"))
            grant_access(None, site, people[-1], RoleSet(is_reviewer=True))
        for i, person in enumerate(people):
            for attempt in (1, 2):
                db.session.add(
                    PracticeScore(
                        site_id=site.id,
                        copy_id=copy.id,
                        key_id=copy.key_case_id,
                        trainee_id=person.id,
                        attempt=100 * (i + 1) + attempt,
                        items_compared=18,
                        items_agreed=15 + attempt,
                        answers_compared=90,
                        answers_agreed=80,
                        item_percent=100 * (15 + attempt) / 18,
                        pass_percent=80,
                        is_passed=True,
                        items=[
                            PracticeScoreItem(
                                item_id=str(item),
                                trainee_rating="strength",
                                key_rating="strength",
                                is_agreed=True,
                                answers_compared=5,
                                answers_agreed=5,
                            )
                            for item in range(1, 19)
                        ],
                    )
                )
        db.session.commit()


def test_progress_pages_query_count_does_not_grow(demo, clients, practised):
    with demo.app_context():
        reviewer_id = user("reviewer").id
    admin = clients("admin")
    urls = [f"{SITE}/progress", f"{SITE}/progress/{reviewer_id}", f"{SITE}/practice"]
    small = {}
    for url in urls:
        who = clients("reviewer") if url.endswith("practice") else admin
        who.get(url)
        with counted(demo) as statements:
            assert who.get(url).status_code == 200
        small[url] = len(statements)
    _grow(demo, 20)
    for url in urls:
        who = clients("reviewer") if url.endswith("practice") else admin
        with counted(demo) as statements:
            assert who.get(url).status_code == 200
        assert len(statements) == small[url], "\n".join(statements)
        assert len(statements) <= 14, url
