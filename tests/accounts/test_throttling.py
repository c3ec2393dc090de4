"""Sign-in limits: per address, per (username, address), the same answers, audit text."""

import time

from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.extensions import db
from tests.conftest import PASSWORD

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}
BAD_CREDENTIALS = "The username or password is not correct."


def _post(client, username, password="wrong-password", where=ATTACKER):
    return client.post(
        "/login", data={"username": username, "password": password}, environ_base=where
    )


def _message(response) -> str:
    """The whole page: apart from the typed name it must be the same for every account."""
    return response.get_data(as_text=True)


def _entries(app, action):
    with app.app_context():
        return db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        ).all()


def test_an_attacker_cannot_keep_the_owner_out(demo):
    attacker, owner = demo.test_client(), demo.test_client()
    for _ in range(10):
        _post(attacker, "reviewer")
        time.sleep(0)
    # The attacker's address is refused even with the right password ...
    refused = _post(attacker, "reviewer", PASSWORD)
    assert refused.status_code == 422 and "Too many failed attempts" in refused.get_data(
        as_text=True
    )
    # ... while the owner, from their own address, signs in at once.
    response = _post(owner, "reviewer", PASSWORD, where=OWNER)
    assert response.status_code == 302
    # And the attacker keeps failing after the owner's success.
    assert "Too many failed attempts" in _post(attacker, "reviewer").get_data(as_text=True)


def test_slowdown_then_lock_for_the_pair(demo, client):
    for _ in range(3):
        assert BAD_CREDENTIALS in _post(client, "qa").get_data(as_text=True)
    page = _post(client, "qa", PASSWORD).get_data(as_text=True)
    assert "wait a minute" in page


def test_the_pair_may_try_again_after_its_window(demo, client, clock):
    demo.config.update(LOGIN_SLOWDOWN="50 per minute", LOGIN_LOCK="2 per 2 seconds")
    try:
        _post(client, "qa")
        _post(client, "qa")
        assert "Too many failed attempts" in _post(client, "qa", PASSWORD).get_data(as_text=True)
        clock.advance(1.9)
        assert "Too many failed attempts" in _post(client, "qa", PASSWORD).get_data(as_text=True)
        clock.advance(0.2)
        assert _post(client, "qa", PASSWORD).status_code == 302
    finally:
        demo.config.update(LOGIN_SLOWDOWN="3 per minute", LOGIN_LOCK="6 per 15 minutes")


def test_unknown_locked_and_deactivated_accounts_answer_alike(demo, client):
    with demo.app_context():
        from review_app.accounts.models import User
        from review_app.accounts.operations import set_account_active

        user = db.session.scalar(select(User).where(User.username == "reviewer2"))
        set_account_active(None, user, False)
        db.session.commit()
    for name in ("observer", "no-such-person", "reviewer2"):
        first = _post(client, name)
        assert first.status_code == 422 and BAD_CREDENTIALS in _message(first)
    answers = {}
    for number, name in enumerate(("observer", "no-such-person", "reviewer2")):
        where = {"REMOTE_ADDR": f"192.0.2.{number + 1}"}
        for _ in range(6):
            _post(client, name, where=where)
        answers[name] = _message(_post(client, name, where=where)).replace(name, "NAME")
    assert len(set(answers.values())) == 1, answers
    assert "Too many failed attempts" in answers["observer"]
    assert "locked" not in answers["observer"]


def test_one_address_cannot_spray_many_accounts(demo):
    attacker, other = demo.test_client(), demo.test_client()
    for number in range(20):
        assert _post(attacker, f"guess-{number}").status_code == 422
    refused = _post(attacker, "observer", PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    page = refused.get_data(as_text=True)
    assert "Too many attempts" in page and "usa-header" in page  # the designed page
    # Another address is not affected; successful sign-ins never count.
    assert _post(other, "observer", PASSWORD, where=OWNER).status_code == 302


def test_retry_after_comes_with_refusals_only(demo, client):
    assert "Retry-After" not in _post(client, "observer").headers
    assert "X-RateLimit-Remaining" in _post(client, "observer").headers


def test_successful_sign_ins_do_not_use_up_the_address_limit(demo):
    for _ in range(25):
        client = demo.test_client()
        assert _post(client, "observer", PASSWORD).status_code == 302


def test_proxy_header_is_ignored_without_a_configured_proxy(demo):
    client = demo.test_client()
    for number in range(20):
        client.post(
            "/login",
            data={"username": f"guess-{number}", "password": "x" * 12},
            headers={"X-Forwarded-For": f"192.0.2.{number}"},
            environ_base=ATTACKER,
        )
    response = client.post(
        "/login",
        data={"username": "observer", "password": PASSWORD},
        headers={"X-Forwarded-For": "192.0.2.200"},
        environ_base=ATTACKER,
    )
    assert response.status_code == 429


def test_failed_attempts_store_typed_text_as_bounded_data(demo, client):
    hostile = "<script>alert(1)</script>\n\x1b[31m" + "A" * 40
    _post(client, hostile)
    _post(client, "reviewer")
    unknown, known = _entries(demo, "login.failed")
    assert unknown.summary == "Failed sign-in for an unknown username"
    assert unknown.actor_name == "anonymous"
    stored = unknown.after["username"]
    assert stored.startswith("<script>alert(1)</script>\\u000a\\u001b[31maaa")
    assert len(stored) <= 80
    assert unknown.after["address"] == ATTACKER["REMOTE_ADDR"]
    # The account tried is the object; who typed it is unknown, not the account holder.
    assert known.actor_name == "anonymous" and "wrong password" in known.summary
    assert known.object_type == "User"
    # The audit page shows the text escaped, as data.
    admin = demo.test_client()
    _post(admin, "admin", PASSWORD, where=OWNER)
    page = admin.get("/demo/cqi/audit").get_data(as_text=True)
    assert "<script>alert(1)" not in page


def test_a_successful_sign_in_is_audited_with_its_address(demo, client):
    _post(client, "observer", PASSWORD, where=OWNER)
    (entry,) = _entries(demo, "login.succeeded")
    assert entry.actor_name == "observer"
    assert entry.after["address"] == OWNER["REMOTE_ADDR"]
    assert entry.created_at is not None


def test_typed_names_are_bounded_and_escaped():
    from review_app.accounts.operations import attempted_name

    assert len(attempted_name("\u202e" * 500)) == 80
    assert attempted_name("a\nb\x00c") == "a\\u000ab\\u0000c"


def test_guessing_the_current_password_is_limited_too(demo, client):
    """A copied session must not become an unlimited password oracle."""
    _post(client, "qa", PASSWORD)
    for number in range(20):
        response = client.post(
            "/account/password",
            data={
                "current_password": f"guess-{number}",
                "new_password": "a-brand-new-pass",
                "confirm_password": "a-brand-new-pass",
            },
            environ_base=ATTACKER,
        )
        assert response.status_code == 422
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a-brand-new-pass",
            "confirm_password": "a-brand-new-pass",
        },
        environ_base=ATTACKER,
    )
    assert response.status_code == 429


def test_an_ipv6_host_cannot_step_through_its_own_network(demo, client):
    for number in range(6):
        _post(client, "reviewer", where={"REMOTE_ADDR": f"2001:db8:1:2::{number + 1:x}"})
    page = _post(client, "reviewer", PASSWORD, where={"REMOTE_ADDR": "2001:db8:1:2::99"})
    assert "Too many failed attempts" in page.get_data(as_text=True)
    # Another /64 is another network.
    assert (
        _post(client, "reviewer", PASSWORD, where={"REMOTE_ADDR": "2001:db8:1:3::1"}).status_code
        == 302
    )


def test_addresses_are_counted_by_network():
    from review_app.core.inputs import client_network

    assert client_network("203.0.113.5") == "203.0.113.5"
    assert client_network("::ffff:203.0.113.5") == "203.0.113.5"
    assert client_network("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert client_network("") == "unknown"


def test_behind_a_configured_proxy_the_forwarded_address_counts(demo):
    from tests.conftest import make_app

    app = make_app(demo.config["SQLALCHEMY_DATABASE_URI"], PROXY_COUNT=1)
    client = app.test_client()

    def post(forwarded, password="wrong-password"):
        return client.post(
            "/login",
            data={"username": "reviewer", "password": password},
            headers={"X-Forwarded-For": forwarded},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},  # the proxy
        )

    for _ in range(6):
        post("203.0.113.66")
    assert "Too many failed attempts" in post("203.0.113.66", PASSWORD).get_data(as_text=True)
    assert post("198.51.100.7", PASSWORD).status_code == 302
    (entry,) = _entries(demo, "login.succeeded")
    assert entry.after["address"] == "198.51.100.7"
