"""Every create form sent twice (a double click, a retry) creates one thing.

Each render carries a ``form_key``; the second post of the same key is sent
to what the first one made.
"""

import re
import threading

import pytest
from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.interviews.models import Interview
from review_app.periods.models import ReviewPeriod
from review_app.qa.models import Comment, Thread
from review_app.sites.models import Jurisdiction, LocalSite
from review_app.sites.queries import site_by_slug
from tests.cases.test_cases import _form as case_form
from tests.conftest import login
from tests.interviews.conftest import make_interview, period_of, user
from tests.members.conftest import roles_form


def _count(app, column, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(column)).where(*where))


def _case_in_qa(app) -> int:
    """Take a demo CFSR case through rating and submission into QA level 1."""
    from review_app.demo.cases import rate_fully
    from review_app.qa.operations import transition

    with app.app_context():
        case = db.session.scalar(
            select(Case)
            .where(Case.site_id == site_by_slug("demo", "cfsr").id, Case.case_type == "foster_care")
            .order_by(Case.id)
        )
        rate_fully(None, case, seed=case.id, no_rate=0.0)
        transition(case.reviewers[0], case, "submit")
        transition(user("qa"), case, "take")
        db.session.commit()
        return case.id


def _qa_thread(app):
    case_id = _case_in_qa(app)
    url = f"/demo/cfsr/cases/{case_id}/items/1/threads"
    return "qa", url, {"body": "Please check 1A.", "question_id": ""}, (Thread.id,)


def _qa_reply(app):
    case_id = _case_in_qa(app)
    with app.app_context():
        from review_app.qa.operations import start_thread

        qa = user("qa")
        thread = start_thread(qa, db.session.get(Case, case_id), "1", None, "First words.")
        db.session.commit()
        thread_id = thread.id
    url = f"/demo/cfsr/cases/{case_id}/threads/{thread_id}/replies"
    return "qa", url, {"body": "And more."}, (Comment.id, Comment.thread_id == thread_id)


def _interview_thread(app):
    interview_id = make_interview(app)
    url = f"/demo/cqi/interviews/{interview_id}/threads"
    return "qa", url, {"item_id": "20", "body": "Which plans?"}, (Thread.id,)


def _interview(app):
    with app.app_context():
        period = period_of()
        data = {
            "held_on": "2026-06-15",
            "local_site_id": str(period.local_sites[0].id),
            "title": "Sent twice",
            "stakeholder_types": ["foster_adoptive_parents"],
            "interviewer_id": str(user("reviewer").id),
            "official_note_taker_id": str(user("reviewer").id),
        }
    return "reviewer", "/demo/cqi/interviews/new", data, (Interview.id,)


def _case(app):
    return "admin", "/demo/cfsr/cases/new", case_form(app), (Case.id,)


def _local_site(app):
    data = {"code": "077", "name": "Seventy Seven County", "is_active": "y"}
    return "admin", "/demo/cqi/local-sites/new", data, (LocalSite.id,)


def _period(app):
    data = {
        "name": "Sent twice",
        "pur_start": "2028-01-01",
        "pur_end": "2028-06-30",
        "instrument_version": "cfsr-round4",
    }
    return "admin", "/demo/cqi/periods/new", data, (ReviewPeriod.id,)


def _member(app):
    data = {"username": "twice", "display_name": "Tw Ice", "email": "tw@example.gov"}
    data |= roles_form("reviewer")
    return "admin", "/demo/cqi/admin/users/new", data, (User.id,)


def _jurisdiction(app):
    return "sysadmin", "/system/jurisdictions", {"code": "zz", "name": "Zed"}, (Jurisdiction.id,)


def _answer_key(app):
    from tests.training.conftest import new_case

    with app.app_context():
        case_id = new_case("KEY-TWICE").id
        db.session.commit()
    data = {"case_id": str(case_id)}
    return "admin", "/demo/training/answer-keys", data, (Case.id, Case.is_key.is_(True))


def _token(app):
    from review_app.tokens.models import ApiToken

    return "reviewer", "/demo/cqi/tokens", {"name": "Sent twice", "days": "30"}, (ApiToken.id,)


FORMS = [
    _token,
    _qa_thread,
    _qa_reply,
    _interview_thread,
    _interview,
    _case,
    _local_site,
    _period,
    _member,
    _jurisdiction,
    _answer_key,
]


@pytest.mark.parametrize("make", FORMS, ids=[f.__name__.strip("_") for f in FORMS])
def test_a_create_form_sent_twice_creates_one_thing(demo, clients, make):
    username, url, data, counted = make(demo)
    client = clients(username)
    before = _count(demo, *counted)
    key = "k" * 20 + make.__name__.strip("_")
    first = client.post(url, data={**data, "form_key": key})
    assert first.status_code in (200, 302), first.get_data(as_text=True)[:2000]
    second = client.post(url, data={**data, "form_key": key})
    assert _count(demo, *counted) == before + 1
    assert second.status_code == 302
    if first.status_code == 302:
        assert second.location.split("#")[0] == first.location.split("#")[0]
    page = client.get(second.location).get_data(as_text=True)
    assert "sent twice" in page


def test_each_render_of_a_form_carries_a_new_key_and_two_renders_make_two(demo, clients):
    _, url, data, counted = _local_site(demo)
    admin = clients("admin")
    keys = [
        re.search(r'name="form_key" value="([^"]+)"', admin.get(url).get_data(as_text=True))[1]
        for _ in range(2)
    ]
    assert keys[0] != keys[1]
    before = _count(demo, *counted)
    admin.post(url, data={**data, "form_key": keys[0]})
    admin.post(url, data={**data, "code": "078", "name": "Other County", "form_key": keys[1]})
    assert _count(demo, *counted) == before + 2


def test_another_persons_key_is_refused(demo, clients):
    _, url, data, counted = _qa_thread(demo)
    before = _count(demo, *counted)
    assert clients("qa").post(url, data={**data, "form_key": "s" * 24}).status_code == 302
    response = clients("qa2").post(url, data={**data, "form_key": "s" * 24})
    assert response.status_code == 409
    assert _count(demo, *counted) == before + 1


@pytest.mark.postgresql_only
@pytest.mark.real_commits  # two threads, each on a connection of its own
def test_two_posts_at_the_same_instant_create_one_thread(demo):
    if demo.config["TEST_DATABASE"] != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the threads would only take turns")
    username, url, data, counted = _qa_thread(demo)
    clients = [demo.test_client() for _ in range(2)]
    for client in clients:
        login(client, username)
    before = _count(demo, *counted)
    start = threading.Barrier(2, timeout=30)
    answers = []

    def post(client):
        start.wait()
        answers.append(client.post(url, data={**data, "form_key": "same-key-for-both-posts"}))

    workers = [threading.Thread(target=post, args=(client,)) for client in clients]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(answer.status_code for answer in answers) == [302, 302]
    assert _count(demo, *counted) == before + 1
