"""What a person typed is kept when their session or their form's token expired."""

import re

import pytest
from sqlalchemy import func, select

from review_app.drafts.hooks import RESTORED, SIGN_IN_AGAIN
from review_app.drafts.models import FormDraft
from review_app.extensions import db
from review_app.ratings.models import Answer
from tests.conftest import PASSWORD, login, make_app
from tests.ratings.test_item_pages import SITE, _case_of

NARRATIVE = (
    "The caseworker visited the home on three occasions but did not speak with the "
    "children alone; the second visit notes a bruise that was never followed up. " * 12
).strip()
RATIONALE = "Safety concerns in the home were left unaddressed, see 3D. " * 5


def _item_form(case_id: int, token: str | None = None) -> dict:
    data = {
        "lock_version": "0",
        "shown": "3A,3D",
        "3A": "yes",
        "3D": "yes",
        "3D__narrative": NARRATIVE,
        "rationale": RATIONALE,
    }
    if token is not None:
        data["csrf_token"] = token
    return data


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _drafts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(FormDraft))


def _restored(page: str) -> bool:
    # Jinja escapes the apostrophe and the semicolon stays; compare the words.
    return NARRATIVE in page and RATIONALE.strip() in page and "Your form had expired" in page


def test_text_typed_after_signing_out_elsewhere_is_back_after_signing_in(demo):
    case_id = _case_of(demo, "reviewer")
    page_url = f"{SITE}/cases/{case_id}/items/3"
    client = demo.test_client()
    login(client, "reviewer")
    assert client.get(page_url).status_code == 200
    client.post("/logout")  # in another tab
    response = client.post(page_url, data=_item_form(case_id))
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert SIGN_IN_AGAIN in client.get(response.location).get_data(as_text=True)

    signed_in = client.post(response.location, data={"username": "reviewer", "password": PASSWORD})
    assert signed_in.location == page_url
    page = client.get(page_url).get_data(as_text=True)
    assert _restored(page), page[:3000]
    assert RESTORED in page
    assert _drafts(demo) == 0  # restored once, then gone
    again = client.get(page_url).get_data(as_text=True)
    assert NARRATIVE not in again and "Your form had expired" not in again

    # Sending the restored form saves it.
    saved = client.post(page_url, data=_item_form(case_id))
    assert saved.status_code == 302
    with demo.app_context():
        narratives = db.session.scalars(
            select(Answer.narrative).where(Answer.case_id == case_id, Answer.question_id == "3D")
        ).all()
    assert narratives == [NARRATIVE]


def test_a_kept_draft_is_never_shown_to_another_user(demo):
    case_id = _case_of(demo, "reviewer")
    page_url = f"{SITE}/cases/{case_id}/items/3"
    client = demo.test_client()
    login(client, "reviewer")
    client.post("/logout")
    client.post(page_url, data=_item_form(case_id))
    assert _drafts(demo) == 1
    # Someone else signs in on the same browser and opens the same page.
    client.post(f"/login?next={page_url}", data={"username": "admin", "password": PASSWORD})
    page = client.get(page_url).get_data(as_text=True)
    assert NARRATIVE not in page and "Your form had expired" not in page
    assert _drafts(demo) == 1


def test_nothing_is_kept_for_nobody_or_from_another_site(demo):
    case_id = _case_of(demo, "reviewer")
    page_url = f"{SITE}/cases/{case_id}/items/3"
    stranger = demo.test_client()  # never signed in: no user to keep it for
    response = stranger.post(page_url, data=_item_form(case_id))
    assert response.location.startswith("/login?next=")
    client = demo.test_client()
    login(client, "reviewer")
    client.post("/logout")
    client.post(page_url, data=_item_form(case_id), headers={"Origin": "https://evil.example"})
    assert _drafts(demo) == 0


@pytest.fixture
def csrf_app(demo):
    return make_app(demo.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True)


def _csrf_login(client, username: str, next_url: str = "") -> None:
    token = _token(client.get("/login").get_data(as_text=True))
    response = client.post(
        f"/login{'?next=' + next_url if next_url else ''}",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_expired_form_token_shows_the_form_again_with_the_text_and_a_fresh_token(csrf_app, demo):
    case_id = _case_of(demo, "reviewer")
    page_url = f"{SITE}/cases/{case_id}/items/3"
    client = csrf_app.test_client()
    _csrf_login(client, "reviewer")
    assert client.get(page_url).status_code == 200

    response = client.post(page_url, data=_item_form(case_id, token="expired-or-forged"))
    assert response.status_code == 303 and response.location == page_url
    page = client.get(page_url).get_data(as_text=True)
    assert _restored(page)
    fresh = _token(page)
    assert fresh != "expired-or-forged"
    saved = client.post(page_url, data=_item_form(case_id, token=fresh))
    assert saved.status_code == 302
    assert "Item 3 saved" in client.get(saved.location).get_data(as_text=True)


def test_session_ended_with_csrf_on_keeps_the_text_through_sign_in(csrf_app, demo):
    case_id = _case_of(demo, "reviewer")
    page_url = f"{SITE}/cases/{case_id}/items/3"
    client = csrf_app.test_client()
    _csrf_login(client, "reviewer")
    old_token = _token(client.get(page_url).get_data(as_text=True))
    client.post("/logout", data={"csrf_token": old_token})
    response = client.post(page_url, data=_item_form(case_id, token=old_token))
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    _csrf_login(client, "reviewer", page_url)
    assert _restored(client.get(page_url).get_data(as_text=True))


def test_passwords_are_never_kept(csrf_app, demo):
    client = csrf_app.test_client()
    _csrf_login(client, "reviewer")
    client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a new long passphrase",
            "confirm_password": "a new long passphrase",
            "csrf_token": "stale",
        },
    )
    client.post("/logout", data={"csrf_token": "stale"})
    client.post("/account/password", data={"current_password": PASSWORD, "note": "x"})
    assert _drafts(demo) == 0


def test_a_form_posted_to_another_address_comes_back_on_the_page_that_showed_it(demo):
    client = demo.test_client()
    login(client, "sysadmin")
    client.post("/logout")
    response = client.post(
        "/system/jurisdictions",
        data={"code": "nv", "name": "Nevada Typed Before"},
        headers={"Referer": "http://localhost/system/"},
    )
    assert response.location == "/login?next=/system/"
    client.post(response.location, data={"username": "sysadmin", "password": PASSWORD})
    page = client.get("/system/").get_data(as_text=True)
    assert 'value="Nevada Typed Before"' in page and RESTORED in page


def test_a_referer_from_another_site_is_not_followed(demo):
    client = demo.test_client()
    login(client, "sysadmin")
    client.post("/logout")
    response = client.post(
        "/system/jurisdictions",
        data={"code": "nv", "name": "Nevada"},
        headers={"Referer": "https://evil.example/system/"},
    )
    assert response.location.startswith("/login?next=")
    assert "evil" not in response.location
    assert _drafts(demo) == 0


def test_a_reply_typed_on_an_item_page_comes_back_in_its_thread(demo):
    from review_app.accounts.models import User
    from review_app.cases.models import Case
    from review_app.qa.models import Comment, Thread

    case_id = _case_of(demo, "reviewer")
    with demo.app_context():
        qa = db.session.scalar(select(User).where(User.username == "qa"))
        case = db.session.get(Case, case_id)
        thread = Thread(case_id=case_id, item_id="1", created_by_id=qa.id, case_status=case.status)
        thread.comments.append(Comment(author_id=qa.id, body="Which report is this?"))
        db.session.add(thread)
        db.session.commit()
        thread_id = thread.id
    page_url = f"{SITE}/cases/{case_id}/items/1"
    client = demo.test_client()
    login(client, "reviewer")
    assert "Which report is this?" in client.get(page_url).get_data(as_text=True)
    client.post("/logout")
    response = client.post(
        f"{SITE}/cases/{case_id}/threads/{thread_id}/replies",
        data={"body": NARRATIVE},
        headers={"Referer": f"http://localhost{page_url}#thread-{thread_id}"},
    )
    assert response.location == f"/login?next={page_url}"
    client.post(response.location, data={"username": "reviewer", "password": PASSWORD})
    page = client.get(page_url).get_data(as_text=True)
    assert f'id="reply-{thread_id}" name="body" rows="2">{NARRATIVE}</textarea>' in page


def test_text_typed_after_the_session_expired_is_kept_for_its_user(demo):
    from review_app.accounts.models import UserSession
    from review_app.drafts.hooks import OWNER_COOKIE

    case_id = _case_of(demo, "reviewer")
    page_url = f"{SITE}/cases/{case_id}/items/3"
    client = demo.test_client()
    login(client, "reviewer")
    assert client.get(page_url).status_code == 200
    client.delete_cookie(OWNER_COOKIE)  # only the stale session names the person
    with demo.app_context():
        db.session.execute(UserSession.__table__.update().values(ended_at=func.now()))
        db.session.commit()
    response = client.post(page_url, data=_item_form(case_id))
    assert response.location.startswith("/login?next=")
    assert _drafts(demo) == 1
    client.post(response.location, data={"username": "reviewer", "password": PASSWORD})
    assert _restored(client.get(page_url).get_data(as_text=True))


def test_no_draft_is_kept_on_a_site_the_person_has_no_role_on(csrf_app, demo):
    case_id = _case_of(demo, "reviewer")
    client = csrf_app.test_client()
    _csrf_login(client, "outsider")  # a state administrator of another state only
    response = client.post(f"{SITE}/cases/{case_id}/items/3", data=_item_form(case_id, "stale"))
    assert response.status_code == 400
    assert _drafts(demo) == 0


def test_a_person_keeps_a_few_drafts_at_most(csrf_app, demo):
    from review_app.drafts.operations import MAX_DRAFTS_PER_USER

    client = csrf_app.test_client()
    _csrf_login(client, "reviewer")
    for number in range(MAX_DRAFTS_PER_USER + 3):
        client.post(f"{SITE}/cases/{1000 + number}/items/3", data=_item_form(0, "stale"))
    assert _drafts(demo) == MAX_DRAFTS_PER_USER
