"""Reviewers rate items on the pages; ratings are calculated; nothing typed is lost."""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.ratings.models import Answer, ItemReview
from tests.conftest import login

SITE = "/demo/cqi"


def _case_of(app, username: str, status="in_progress", case_type=None) -> int:
    """Return the id of a demo CQI case assigned to ``username`` alone."""
    from review_app.accounts.models import User
    from review_app.cases.models import Assignment
    from review_app.sites.queries import site_by_slug

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        statement = (
            select(Case.id)
            .join(Assignment)
            .where(
                Assignment.user_id == user.id,
                Case.status == status,
                Case.site_id == site_by_slug("demo", "cqi").id,
            )
        )
        if case_type:
            statement = statement.where(Case.case_type == case_type)
        return db.session.scalar(statement.order_by(Case.id))


def _post_item(client, case_id, item_id, answers, lock_version=None, rationale="", app=None):
    if lock_version is None:
        with app.app_context():
            lock_version = db.session.scalar(
                select(ItemReview.lock_version).where(
                    ItemReview.case_id == case_id, ItemReview.item_id == item_id
                )
            )
    data = {"lock_version": str(lock_version), "shown": ",".join(answers), "rationale": rationale}
    data.update({k: v for k, v in answers.items()})
    return client.post(f"{SITE}/cases/{case_id}/items/{item_id}", data=data)


@pytest.fixture
def reviewer(demo):
    client = demo.test_client()
    login(client, "reviewer")
    return client


def test_saving_an_item_shows_its_calculated_rating(demo, reviewer):
    case_id = _case_of(demo, "reviewer")
    response = _post_item(reviewer, case_id, "1", {"1-app": "no"}, app=demo)
    assert response.status_code == 302
    page = reviewer.get(response.location).get_data(as_text=True)
    assert "Its rating is now: Not Applicable" in page
    assert "Calculated rating: <strong>Not Applicable</strong>" in page


def test_questions_appear_when_earlier_answers_make_them_relevant(demo, reviewer):
    case_id = _case_of(demo, "reviewer")
    page = reviewer.get(f"{SITE}/cases/{case_id}/items/1").get_data(as_text=True)
    # Without a script, a question not yet relevant is on the page but hidden.
    assert 'data-qid="1A" hidden' in page
    _post_item(reviewer, case_id, "1", {"1-app": "yes"}, app=demo)
    page = reviewer.get(f"{SITE}/cases/{case_id}/items/1").get_data(as_text=True)
    assert 'data-qid="1A" >' in page and 'data-qid="1C" hidden' in page
    _post_item(reviewer, case_id, "1", {"1-app": "yes", "1A": "2", "1B": "0"}, app=demo)
    page = reviewer.get(f"{SITE}/cases/{case_id}/items/1").get_data(as_text=True)
    assert 'data-qid="1C" >' in page and "Incomplete" in page


def test_a_wrong_answer_saves_nothing_and_keeps_what_was_typed(demo, reviewer):
    case_id = _case_of(demo, "reviewer")
    _post_item(reviewer, case_id, "1", {"1-app": "yes"}, app=demo)
    response = _post_item(
        reviewer,
        case_id,
        "1",
        {"1-app": "yes", "1A": "three", "1B": "1"},
        rationale="my careful notes",
        app=demo,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "nothing was saved" in page and "give a whole number" in page
    assert 'value="three"' in page and "my careful notes" in page
    with demo.app_context():
        stored = db.session.scalar(
            select(Answer.value).where(Answer.case_id == case_id, Answer.question_id == "1B")
        )
    assert stored is None


def test_two_reviewers_saving_the_same_item_do_not_lose_an_update(demo):
    case_id = _case_of(demo, "reviewer")  # assigned to reviewer; add reviewer2 as a pair
    with demo.app_context():
        from review_app.accounts.models import User
        from review_app.cases.models import Assignment

        second = db.session.scalar(select(User).where(User.username == "reviewer2"))
        db.session.add(Assignment(case_id=case_id, user_id=second.id))
        db.session.commit()
    first, other = demo.test_client(), demo.test_client()
    login(first, "reviewer")
    login(other, "reviewer2")
    with demo.app_context():
        start = db.session.scalar(
            select(ItemReview.lock_version).where(
                ItemReview.case_id == case_id, ItemReview.item_id == "2"
            )
        )
    ok = _post_item(first, case_id, "2", {"2-app": "yes", "2A": "yes", "2B": "na"}, start)
    assert ok.status_code == 302
    clash = _post_item(
        other,
        case_id,
        "2",
        {"2-app": "yes", "2A": "no", "2B": "yes"},
        start,
        rationale="second opinion",
    )
    page = clash.get_data(as_text=True)
    assert clash.status_code == 409
    assert "Riley Reviewer saved this item while you were editing it" in page
    assert "Where the two versions differ" in page and "second opinion" in page
    with demo.app_context():
        stored = db.session.scalar(
            select(Answer.value).where(Answer.case_id == case_id, Answer.question_id == "2A")
        )
    assert stored == "yes"  # the first save stands
    # The page sent back carries the new version, so saving it again goes through.
    sent_back = int(re.search(r'name="lock_version"[^>]*value="(\d+)"', page).group(1))
    assert sent_back == start + 1
    again = _post_item(other, case_id, "2", {"2-app": "yes", "2A": "no", "2B": "yes"}, sent_back)
    assert again.status_code == 302


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("observer", 200, 403),
        ("qa", 200, 403),
        ("admin", 200, 403),
        ("reviewer2", 403, 403),
    ],
)
def test_only_assigned_reviewers_change_answers(demo, who, get, post):
    case_id = _case_of(demo, "reviewer")
    client = demo.test_client()
    login(client, who)
    assert client.get(f"{SITE}/cases/{case_id}/items/1").status_code == get
    assert _post_item(client, case_id, "1", {"1-app": "no"}, app=demo).status_code == post


def test_unknown_item_and_other_sites_case_are_not_found(demo, reviewer):
    case_id = _case_of(demo, "reviewer")
    assert reviewer.get(f"{SITE}/cases/{case_id}/items/99").status_code == 404
    assert reviewer.get(f"/demo/cfsr/cases/{case_id}").status_code == 404
    assert reviewer.get(f"{SITE}/cases/999999").status_code == 404


class _Fields(HTMLParser):
    """The labels of a page's typed fields (text boxes, lists), by the field's id; choices
    (radio buttons, boxes to tick) are named by their group's legend instead."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.typed: set[str] = set()
        self.labels: dict[str, str] = {}
        self._label: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("textarea", "select") or (
            tag == "input" and attributes.get("type") not in ("radio", "checkbox", "hidden")
        ):
            self.typed.add(attributes.get("id") or "")
        elif tag == "label":
            self._label = attributes.get("for")
            self.labels[self._label or ""] = ""

    def handle_data(self, data):
        if self._label is not None:
            self.labels[self._label] += data

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None


def test_no_two_boxes_of_an_item_page_share_a_label(demo, reviewer):
    """A screen reader's list of fields names each box apart (item 12 asks of each parent)."""
    case_id = _case_of(demo, "reviewer")
    with demo.app_context():
        instrument = get_instrument(db.session.get(Case, case_id).period.instrument_version)
    for item_id in instrument.items:
        fields = _Fields()
        fields.feed(reviewer.get(f"{SITE}/cases/{case_id}/items/{item_id}").get_data(as_text=True))
        names = [
            " ".join(text.split()) for key, text in fields.labels.items() if key in fields.typed
        ]
        assert len(names) > 0 and len(names) == len(set(names)), (item_id, names)
