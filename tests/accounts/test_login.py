"""Signing in and out, throttling, lockout, sessions and passwords."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.extensions import db
from tests.conftest import PASSWORD, login


def _user(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def _fail(client, username, password="wrong-password"):
    return client.post("/login", data={"username": username, "password": password})


def test_sign_in_and_out(demo, client):
    login(client, "observer")
    assert "Your sites" in client.get("/").get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the sign-in page


def test_wrong_password_and_unknown_user_get_the_same_message(demo, client):
    wrong = _fail(client, "reviewer").get_data(as_text=True)
    unknown = _fail(client, "nobody-here").get_data(as_text=True)
    message = "The username or password is not correct."
    assert message in wrong and message in unknown


def test_form_keeps_the_username_after_a_failure(demo, client):
    page = _fail(client, "reviewer").get_data(as_text=True)
    assert 'value="reviewer"' in page


def test_deactivated_user_cannot_sign_in_and_open_session_ends(demo, client):
    login(client, "reviewer")
    assert client.get("/demo/cqi/").status_code == 200
    with demo.app_context():
        from review_app.accounts.operations import set_account_active

        set_account_active(
            None, db.session.scalar(select(User).where(User.username == "reviewer")), False
        )
        db.session.commit()
    assert client.get("/demo/cqi/").status_code == 302
    page = client.post("/login", data={"username": "reviewer", "password": PASSWORD})
    assert "The username or password is not correct." in page.get_data(as_text=True)


def test_change_own_password_ends_other_sessions(demo, client):
    other = demo.test_client()
    login(client, "qa")
    login(other, "qa")
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a-brand-new-pass",
            "confirm_password": "a-brand-new-pass",
        },
    )
    assert response.status_code == 302
    assert client.get("/demo/cqi/").status_code == 200  # this session stays
    assert other.get("/demo/cqi/").status_code == 302  # the other one ended
    client.post("/logout")
    login(client, "qa", "a-brand-new-pass")


def test_change_password_errors_keep_the_form(demo, client):
    login(client, "qa")
    page = client.post(
        "/account/password",
        data={"current_password": "not-it", "new_password": "short", "confirm_password": "short"},
    )
    assert page.status_code == 422
    assert "The current password is not correct." in page.get_data(as_text=True)
    page = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
    )
    assert "at least 10 characters" in page.get_data(as_text=True)


def test_temporary_password_must_be_changed_first(demo, client):
    with demo.app_context():
        from review_app.accounts.operations import set_password

        set_password(
            None,
            db.session.scalar(select(User).where(User.username == "observer")),
            "temporary-pass-1",
            temporary=True,
        )
        db.session.commit()
    login(client, "observer", "temporary-pass-1")
    response = client.get("/demo/cqi/")
    assert response.status_code == 302 and response.location.endswith("/account/password")


def test_next_only_goes_to_local_paths(demo, client):
    response = client.post(
        "/login?next=//evil.example/x", data={"username": "observer", "password": PASSWORD}
    )
    assert response.location == "/"
    client.post("/logout")
    response = client.post(
        "/login?next=/demo/cqi/periods", data={"username": "observer", "password": PASSWORD}
    )
    assert response.location == "/demo/cqi/periods"


def test_session_cookie_is_httponly_and_samesite(demo, client):
    response = login(client, "observer")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_needs_post(demo, client):
    login(client, "observer")
    assert client.get("/logout").status_code == 405
