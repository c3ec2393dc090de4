"""Sign-in sessions are kept server side: signing out ends them everywhere."""

from datetime import timedelta

from sqlalchemy import select, update

from review_app.accounts.models import User, UserSession
from review_app.audit.models import AuditEntry
from review_app.core.models import utcnow
from review_app.extensions import db
from tests.conftest import login


def _copy_cookie(app, client):
    """Return a second client holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def test_a_copied_cookie_is_refused_after_sign_out(demo, client):
    login(client, "reviewer")
    thief = _copy_cookie(demo, client)
    assert thief.get("/demo/cqi/").status_code == 200  # the copy works while signed in
    client.post("/logout")
    response = thief.get("/demo/cqi/")
    assert response.status_code == 302 and "/login" in response.location


def test_sign_out_is_audited(demo, client):
    login(client, "reviewer")
    client.post("/logout")
    with demo.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.logout"))
        assert entry is not None and entry.summary == "reviewer signed out"


def test_signing_out_ends_only_that_session(demo, client):
    other = demo.test_client()
    login(client, "qa")
    login(other, "qa")
    client.post("/logout")
    assert other.get("/demo/cqi/").status_code == 200


def test_a_session_ends_on_the_server_after_its_lifetime(demo, client):
    login(client, "reviewer")
    with demo.app_context():
        db.session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.get("/demo/cqi/").status_code == 302


def test_the_cookie_holds_a_random_key_not_the_user_id(demo, client):
    login(client, "reviewer")
    with client.session_transaction() as session:
        key = session["_user_id"]
    with demo.app_context():
        user = db.session.scalar(select(User).where(User.username == "reviewer"))
        assert str(user.id) not in key.split(":")
        stored = db.session.scalars(select(UserSession.id)).all()
    assert len(key) >= 40 and key not in stored  # only a digest of the key is stored


def test_a_forged_old_style_session_id_is_refused(demo, client):
    login(client, "reviewer")
    with demo.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "reviewer"))
    forged = demo.test_client()
    with forged.session_transaction() as session:
        session["_user_id"] = f"{user_id}:1"
        session["_fresh"] = True
    assert forged.get("/demo/cqi/").status_code == 302


def test_an_administrator_reset_ends_every_session(demo, clients):
    victim = clients("reviewer")
    thief = _copy_cookie(demo, victim)
    admin = clients("admin")
    with demo.app_context():
        from tests.members.conftest import find_membership

        membership_id = find_membership(demo, "reviewer").id
    assert admin.post(f"/demo/cqi/admin/users/{membership_id}/password").status_code == 302
    assert victim.get("/demo/cqi/").status_code == 302
    assert thief.get("/demo/cqi/").status_code == 302
