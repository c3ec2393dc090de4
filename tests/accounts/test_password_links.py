"""Invitations and password resets: an emailed link, used once, before it expires."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from review_app.accounts.models import LinkPurpose, PasswordLink, User, UserSession
from review_app.accounts.operations import set_account_active
from review_app.audit.models import AuditEntry
from review_app.core.models import utcnow
from review_app.extensions import db
from tests.conftest import PASSWORD, login
from tests.members.conftest import USERS, find_membership, find_user, roles_form
from tests.smtpserver import html_of, text_of

NEW_PASSWORD = "river-copper-lantern"
SAME_ANSWER = "If an account matches, we have sent a link"


@pytest.fixture
def admin(demo, client):
    """A client signed in as the demo state administrator."""
    login(client, "admin")
    return client


def _invite(admin, username="jdoe", email="jane@example.gov"):
    data = {"username": username, "display_name": "Jane Doe", "email": email}
    return admin.post(f"{USERS}/new", data=data | roles_form("reviewer"))


def _link(message) -> str:
    found = re.search(r"http://\S+/password/set/\S+", text_of(message))
    assert found, text_of(message)
    return found.group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _set(client, link: str, password: str = NEW_PASSWORD, again: str | None = None):
    data = {"new_password": password, "confirm_password": again or password}
    return client.post(_path(link), data=data)


def _actions(app, username: str) -> list[str]:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        return list(
            db.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.object_type == "User", AuditEntry.object_id == user_id)
                .order_by(AuditEntry.id)
            )
        )


def test_an_invited_person_sets_a_password_from_the_email_and_signs_in(admin, demo, mailbox):
    response = _invite(admin)
    assert response.status_code == 302
    page = admin.get(response.location).get_data(as_text=True)
    assert "An invitation to choose a password is on its way to jane@example.gov" in page
    assert "Invited, not yet signed in" in page
    assert "<code>" not in page and "Temporary password" not in page
    [message] = mailbox
    assert message["To"] == "jane@example.gov"
    assert message["Subject"] == "[Demo State CQI] You are invited to Case Review"
    assert "jdoe" in text_of(message) and _link(message) in html_of(message)
    link = _link(message)
    newcomer = demo.test_client()
    form = newcomer.get(_path(link))
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert '<label class="usa-label" for="new_password"' in page
    # Password managers offer a new password for this person's account.
    assert 'autocomplete="new-password"' in page and 'autocomplete="username"' in page
    response = _set(newcomer, link)
    assert response.status_code == 302 and response.location.endswith("/login")
    login(newcomer, "jdoe", NEW_PASSWORD)
    assert newcomer.get("/demo/cqi/").status_code == 200  # no forced change: it is theirs
    assert "Invited, not yet signed in" not in admin.get(USERS).get_data(as_text=True)
    actions = _actions(demo, "jdoe")
    assert "user.invitation_sent" in actions and "user.password_link" in actions


def test_the_pages_about_an_account_say_it_is_invited(admin, demo, clients, mailbox):
    _invite(admin)
    member = find_membership(demo, "jdoe")
    assert "Invited, not yet signed in." in admin.get(f"{USERS}/{member.id}").get_data(as_text=True)
    page = clients("sysadmin").get("/system/accounts", query_string={"q": "jdoe"})
    assert "Invited, not yet signed in" in page.get_data(as_text=True)


def test_an_invited_account_cannot_be_signed_in_to_before_its_password_is_set(admin, demo):
    _invite(admin)
    response = demo.test_client().post("/login", data={"username": "jdoe", "password": ""})
    assert response.status_code == 422
    with demo.app_context():
        assert db.session.scalar(select(User.password_hash).where(User.username == "jdoe")) == ""


def test_a_link_works_once(admin, demo, mailbox):
    _invite(admin)
    link = _link(mailbox[0])
    assert _set(demo.test_client(), link).status_code == 302
    for response in (
        demo.test_client().get(_path(link)),
        _set(demo.test_client(), link, "another-lantern-copper"),
    ):
        page = response.get_data(as_text=True)
        assert response.status_code == 410 and "has been used already" in page
        assert "ask for a new link" in page
    login(demo.test_client(), "jdoe", NEW_PASSWORD)  # the second use changed nothing


def test_two_clicks_at_once_set_the_password_once(admin, demo, mailbox, monkeypatch):
    from review_app.accounts import link_operations
    from review_app.accounts.link_operations import LinkRefused, check_link, use_link

    _invite(admin)
    token = _link(mailbox[0]).rsplit("/", 1)[1]
    with demo.app_context():
        seen = check_link(token)  # the second click read the link while it was unused
        use_link(token, NEW_PASSWORD)  # then the first click used it
        db.session.commit()
        first_hash = find_user(demo, "jdoe").password_hash
        monkeypatch.setattr(link_operations, "check_link", lambda *args: seen)
        with pytest.raises(LinkRefused):
            use_link(token, "another-lantern-copper")  # the guarded UPDATE refuses it
        db.session.rollback()
    assert find_user(demo, "jdoe").password_hash == first_hash


def test_an_expired_link_is_refused_and_changes_nothing(admin, demo, mailbox):
    _invite(admin)
    link = _link(mailbox[0])
    with demo.app_context():
        row = db.session.scalar(select(PasswordLink))
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = _set(demo.test_client(), link)
    assert response.status_code == 410 and "has expired" in response.get_data(as_text=True)
    assert find_user(demo, "jdoe").password_hash == ""


def test_a_link_lasts_the_configured_time(admin, demo, mailbox):
    _invite(admin)
    _invite(admin, "bkent", "bo@example.gov")
    with demo.app_context():
        link = db.session.scalar(select(PasswordLink).order_by(PasswordLink.id))
        assert link.expires_at - link.created_at == timedelta(days=demo.config["INVITE_DAYS"])


def test_a_link_of_a_deactivated_account_is_refused(admin, demo, mailbox):
    _invite(admin)
    link = _link(mailbox[0])
    with demo.app_context():
        set_account_active(None, db.session.merge(find_user(demo, "jdoe")), False)
        db.session.commit()
    response = _set(demo.test_client(), link)
    assert response.status_code == 410 and "deactivated" in response.get_data(as_text=True)
    assert find_user(demo, "jdoe").password_hash == ""
    with demo.app_context():  # a link made before the deactivation does not come back with it
        set_account_active(None, db.session.merge(find_user(demo, "jdoe")), True)
        db.session.commit()
    assert _set(demo.test_client(), link).status_code == 410
    assert find_user(demo, "jdoe").password_hash == ""


def test_a_deactivation_between_reading_and_using_a_link_wins(admin, demo, mailbox, monkeypatch):
    from review_app.accounts import link_operations
    from review_app.accounts.link_operations import LinkRefused, check_link, use_link

    _invite(admin)
    token = _link(mailbox[0]).rsplit("/", 1)[1]
    with demo.app_context():
        seen = check_link(token)
        db.session.execute(update(User).where(User.username == "jdoe").values(is_active=False))
        monkeypatch.setattr(link_operations, "check_link", lambda *args: seen)
        with pytest.raises(LinkRefused):
            use_link(token, NEW_PASSWORD)
        db.session.rollback()
    assert find_user(demo, "jdoe").password_hash == ""


@pytest.mark.parametrize(
    "token", ["nonsense", "a" * 3000, "WyJpbnZpdGUiLCAieCJd.bad", "%00", "..", "WyJ4Il0"]
)
def test_a_malformed_link_gets_a_clear_page_not_an_error(demo, client, token):
    # A NUL character is part of no address (core.inputs.TextConverter): "Page not found".
    expected = "Page not found" if token == "%00" else "not complete or not valid"
    for response in (client.get(f"/password/set/{token}"), client.post(f"/password/set/{token}")):
        assert response.status_code == 404
        assert expected in response.get_data(as_text=True)


def test_a_changed_link_is_refused(admin, demo, mailbox):
    _invite(admin)
    link = _link(mailbox[0])
    # One character of the signature changed (not the last: its low bits may not count).
    path = _path(link)
    changed = path[:-10] + ("B" if path[-10] == "A" else "A") + path[-9:]
    response = demo.test_client().get(changed)
    assert response.status_code == 404


def test_a_weak_or_mismatched_password_is_refused_on_the_form_and_the_link_still_works(
    admin, demo, mailbox
):
    _invite(admin)
    link = _link(mailbox[0])
    client = demo.test_client()
    response = _set(client, link, "jdoe-password-1")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "must not contain the username" in page
    assert "usa-error-summary" in page or "There is a problem" in page
    response = _set(client, link, NEW_PASSWORD, "something-else-entirely")
    assert response.status_code == 422 and "The two passwords differ" in response.get_data(
        as_text=True
    )
    assert _set(client, link).status_code == 302


def test_resending_an_invitation_makes_a_new_link_and_ends_the_old(admin, demo, mailbox):
    _invite(admin)
    first = _link(mailbox[0])
    member = find_membership(demo, "jdoe")
    page = admin.get(f"{USERS}/{member.id}").get_data(as_text=True)
    assert "Send the invitation again" in page
    response = admin.post(f"{USERS}/{member.id}/invite", follow_redirects=True)
    assert "A new invitation is on its way" in response.get_data(as_text=True)
    assert len(mailbox) == 2
    second = _link(mailbox[1])
    assert second != first
    assert _set(demo.test_client(), first).status_code == 410
    assert _set(demo.test_client(), second).status_code == 302
    assert "user.invitation_resent" in _actions(demo, "jdoe")


def test_an_invitation_cannot_be_resent_after_the_password_is_set(admin, demo, mailbox):
    member = find_membership(demo, "reviewer")
    response = admin.post(f"{USERS}/{member.id}/invite", follow_redirects=True)
    assert "has set a password already" in response.get_data(as_text=True)
    assert mailbox == []


def test_forgot_password_answers_the_same_for_unknown_and_known_accounts(demo, client, mailbox):
    assert "Forgot your password?" in client.get("/login").get_data(as_text=True)
    pages = []
    for typed in ("nobody-here", "reviewer", "REVIEWER@demo.example"):
        response = client.post("/password/forgot", data={"username": typed})
        assert (response.status_code, response.location) == (303, "/password/forgot?asked=1")
        page = client.get(response.location).get_data(as_text=True)
        pages.append(page)
        assert SAME_ANSWER in page
    assert pages[0] == pages[1] == pages[2]
    # One link a few minutes per account: the second request sends nothing.
    assert [m["To"] for m in mailbox] == ["reviewer@demo.example"]
    assert mailbox[0]["Subject"] == "Set a new password"  # an account is not one site's
    assert "Demo State" not in text_of(mailbox[0])
    with demo.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user.reset_requested")
        ).all()
        assert len(entries) == 3 and [e.after["sent"] for e in entries] == [False, True, False]


def test_no_reset_link_for_a_deactivated_account_or_one_without_email(demo, client, mailbox):
    with demo.app_context():
        set_account_active(None, db.session.scalar(select(User).filter_by(username="qa2")), False)
        db.session.execute(update(User).where(User.username == "observer").values(email=""))
        db.session.commit()
    for typed in ("qa2", "observer"):
        response = client.post("/password/forgot", data={"username": typed}, follow_redirects=True)
        assert SAME_ANSWER in response.get_data(as_text=True)
    assert mailbox == []


def test_forgot_password_needs_something_typed(demo, client):
    response = client.post("/password/forgot", data={"username": ""})
    assert response.status_code == 422 and SAME_ANSWER not in response.get_data(as_text=True)


def test_forgot_password_is_rate_limited_per_address(demo, client, mailbox):
    limit = int(demo.config["RESET_ADDRESS_LIMIT"].split()[0])
    for _ in range(limit):
        client.post("/password/forgot", data={"username": "reviewer"})
    response = client.post("/password/forgot", data={"username": "reviewer"})
    assert response.status_code == 429
    assert len(mailbox) == 1  # and one link only, however often it was asked for


def test_a_reset_sets_the_password_and_ends_every_other_session(demo, clients, mailbox):
    elsewhere = clients("reviewer")
    assert elsewhere.get("/demo/cqi/").status_code == 200
    anonymous = demo.test_client()
    anonymous.post("/password/forgot", data={"username": "reviewer"})
    link = _link(mailbox[0])
    assert "2 hours" in text_of(mailbox[0])
    assert _set(anonymous, link).status_code == 302
    assert elsewhere.get("/demo/cqi/").status_code == 302  # signed out
    with demo.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "reviewer"))
        open_sessions = db.session.scalars(
            select(UserSession).where(
                UserSession.user_id == user_id, UserSession.ended_at.is_(None)
            )
        ).all()
        assert open_sessions == []
        link_row = db.session.scalar(select(PasswordLink))
        assert link_row.purpose == LinkPurpose.RESET and link_row.used_at is not None
        assert link_row.expires_at - link_row.created_at == timedelta(hours=2)
    assert (
        demo.test_client()
        .post("/login", data={"username": "reviewer", "password": PASSWORD})
        .status_code
        == 422
    )
    login(demo.test_client(), "reviewer", NEW_PASSWORD)
    assert "user.password_link" in _actions(demo, "reviewer")


def test_only_a_digest_of_the_link_is_stored(admin, demo, mailbox):
    _invite(admin)
    token = _link(mailbox[0]).rsplit("/", 1)[1]
    with demo.app_context():
        stored = db.session.scalar(select(PasswordLink.token_hash))
    assert stored not in token and len(stored) == 64


def test_an_administrator_sends_a_reset_link_instead_of_a_temporary_password(admin, demo, mailbox):
    member = find_membership(demo, "reviewer")
    page = admin.get(f"{USERS}/{member.id}").get_data(as_text=True)
    assert "Send a link to choose a new password" in page and "temporary" not in page
    response = admin.post(f"{USERS}/{member.id}/password", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "A link to choose a new password is on its way" in page and "<code>" not in page
    assert [m["To"] for m in mailbox] == ["reviewer@demo.example"]
    assert mailbox[0]["Subject"].startswith("[Demo State")  # sent by one site's administrator
    login(demo.test_client(), "reviewer")  # the password stays until the link is used
    assert "user.reset_link_sent" in _actions(demo, "reviewer")


def test_the_add_form_needs_an_email_address(admin, demo, mailbox):
    response = _invite(admin, email="")
    assert response.status_code == 422
    assert "the invitation is sent there" in response.get_data(as_text=True)
    assert find_user(demo, "jdoe") is None and mailbox == []


def test_an_email_address_shared_by_two_accounts_sends_nothing(demo, client, mailbox):
    with demo.app_context():
        db.session.execute(
            update(User).where(User.username == "qa2").values(email="qa@demo.example")
        )
        db.session.commit()
    response = client.post(
        "/password/forgot", data={"username": "qa@demo.example"}, follow_redirects=True
    )
    assert SAME_ANSWER in response.get_data(as_text=True) and mailbox == []
    client.post("/password/forgot", data={"username": "qa2"})  # the username still works
    assert [m["To"] for m in mailbox] == ["qa@demo.example"]


def test_an_invitation_is_kept_for_a_retry_when_the_mail_server_is_away(admin, demo, mailbox):
    from review_app.core.queue import huey
    from tests.smtpserver import free_port

    mailer_state = demo.extensions["mailman"]
    port, mailer_state.port = mailer_state.port, free_port()  # nothing listens there
    try:
        huey.storage.flush_schedule()
        response = _invite(admin)
        assert response.status_code == 302  # the person is added all the same
        assert [task.name for task in huey.scheduled()] == ["deliver"]
    finally:
        mailer_state.port = port
        huey.storage.flush_schedule()
    assert find_user(demo, "jdoe") is not None and mailbox == []


def test_a_link_opened_while_signed_in_as_someone_else_signs_that_person_out(admin, demo, mailbox):
    _invite(admin)
    link = _link(mailbox[0])
    assert _set(admin, link).status_code == 302
    assert admin.get(USERS).status_code == 302  # the administrator signs in again
    login(demo.test_client(), "jdoe", NEW_PASSWORD)
    login(demo.test_client(), "admin")  # their own password is unchanged


def test_a_forged_host_header_does_not_reach_the_emailed_link(demo, client, mailbox):
    client.post("/password/forgot", data={"username": "reviewer"}, headers={"Host": "evil.example"})
    link = _link(mailbox[0])
    assert link.startswith(demo.config["PUBLIC_URL"] + "/password/set/")
    assert "evil.example" not in text_of(mailbox[0]) + html_of(mailbox[0])


def test_a_link_mailed_to_an_address_since_corrected_stops_working(admin, demo, mailbox):
    from review_app.accounts.operations import update_profile

    _invite(admin, email="jane@exmaple.gov")  # a mistyped address: a stranger has the link
    link = _link(mailbox[0])
    with demo.app_context():
        user = db.session.merge(find_user(demo, "jdoe"))
        update_profile(None, user, user.display_name, "jane@example.gov")
        db.session.commit()
    assert _set(demo.test_client(), link).status_code == 410
    assert find_user(demo, "jdoe").password_hash == ""


def test_a_password_set_otherwise_ends_the_links_mailed_before(demo, client, mailbox):
    from review_app.accounts.operations import set_password

    client.post("/password/forgot", data={"username": "reviewer"})
    (message,) = mailbox
    with demo.app_context():
        user = db.session.merge(find_user(demo, "reviewer"))
        set_password(user, user, "another-Strong-passphrase-9", temporary=False)
        db.session.commit()
    assert _set(demo.test_client(), _link(message)).status_code == 410


def test_a_reset_link_can_be_asked_for_again_after_a_few_minutes(demo, client, mailbox):
    from review_app.accounts.link_operations import RESET_COOLDOWN

    client.post("/password/forgot", data={"username": "reviewer"})
    with demo.app_context():  # the first link was sent longer ago than the pause
        db.session.execute(
            update(PasswordLink).values(created_at=utcnow() - RESET_COOLDOWN - timedelta(1))
        )
        db.session.commit()
    client.post("/password/forgot", data={"username": "reviewer"})
    assert len(mailbox) == 2
    assert _set(demo.test_client(), _link(mailbox[0])).status_code == 410  # replaced
    assert _set(demo.test_client(), _link(mailbox[1])).status_code == 302


def test_no_link_is_sent_to_a_deactivated_account_or_access(admin, demo, mailbox):
    member = find_membership(demo, "reviewer")
    with demo.app_context():
        set_account_active(None, db.session.merge(find_user(demo, "reviewer")), False)
        db.session.commit()
    response = admin.post(f"{USERS}/{member.id}/password", follow_redirects=True)
    assert "access is deactivated" in response.get_data(as_text=True)
    assert mailbox == []


def test_a_subject_is_one_line_whatever_a_name_holds():
    from review_app.mail.operations import subject_line

    assert subject_line("Case A\r\nBcc: x was returned", "Demo\nState") == (
        "[Demo State] Case A Bcc: x was returned"
    )
