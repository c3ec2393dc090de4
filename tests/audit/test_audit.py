"""The audit log: every change names its actor and its values before and after."""

import io
from datetime import datetime

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import LocalSite
from review_app.sites.queries import site_by_slug
from tests.conftest import login

AUDIT = "/demo/cqi/admin/audit"
USERS = "/demo/cqi/admin/users"


@pytest.fixture
def admin(demo, client):
    login(client, "admin")
    return client


def _id(app, model, **where):
    """Return the id of the first row matching ``where`` (on the demo CQI site if it has sites)."""
    if hasattr(model, "site_id"):
        where["site_id"] = _site_id(app)
    with app.app_context():
        return db.session.scalar(select(model.id).filter_by(**where).order_by(model.id))


def _membership(app, username):
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        return db.session.scalar(
            select(Membership.id)
            .join(Membership.user)
            .where(User.username == username, Membership.site_id == site.id)
        )


def _site_id(app, slug="demo/cqi"):
    with app.app_context():
        return site_by_slug(*slug.split("/")).id


def _entries(app, action) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )


def _roles(**roles):
    return {"qa_level": "", **{name: "y" for name in roles}}


# Each change: (action, how to make it through the pages, is there a "before"?).
def _new_user(c, app):
    data = {"username": "jdoe", "display_name": "Jane", "email": "jane@example.gov"}
    c.post(f"{USERS}/new", data=data | _roles(reviewer=1))


def _grant(c, app):
    c.post(f"{USERS}/grant", data={"username": "qa2", **_roles(observer=1)})


def _roles_change(c, app):
    c.post(
        f"{USERS}/{_membership(app, 'qa')}",
        data={"display_name": "Quinn Quality", "email": "qa@demo.example", **_roles(reviewer=1)},
    )


def _profile(c, app):
    c.post(
        f"{USERS}/{_membership(app, 'qa')}",
        data={"display_name": "Quinn Q.", "email": "", "qa_level": "1"},
    )


def _remove(c, app):
    c.post(f"{USERS}/{_membership(app, 'observer')}/remove")


def _restore(c, app):
    _remove(c, app)
    c.post(f"{USERS}/{_membership(app, 'observer')}/restore")


def _password(c, app):
    c.post(f"{USERS}/{_membership(app, 'observer')}/password")


def _import(c, app):
    c.post(
        f"{USERS}/import",
        content_type="multipart/form-data",
        data={
            "file": (
                io.BytesIO(b"username,display_name,email,roles\nimported,Im Ported,,reviewer\n"),
                "p.csv",
            )
        },
    )


def _period_data(**extra):
    return {
        "name": "Audited",
        "pur_start": "2028-01-01",
        "pur_end": "2028-06-30",
        "instrument_version": "cfsr-round4",
        **extra,
    }


def _period_create(c, app):
    c.post("/demo/cqi/periods/new", data=_period_data())


def _period_update(c, app):
    period_id = _id(app, ReviewPeriod, name="2026-27 review")
    c.post(f"/demo/cqi/periods/{period_id}", data=_period_data(name="Renamed"))


def _period_close(c, app):
    c.post(f"/demo/cqi/periods/{_id(app, ReviewPeriod, name='2026-27 review')}/close")


def _period_reopen(c, app):
    _period_close(c, app)
    c.post(f"/demo/cqi/periods/{_id(app, ReviewPeriod, name='2026-27 review')}/reopen")


def _local_create(c, app):
    c.post("/demo/cqi/local-sites/new", data={"code": "009", "name": "Nine County"})


def _local_update(c, app):
    local_id = _id(app, LocalSite, code="001")
    c.post(f"/demo/cqi/local-sites/{local_id}", data={"code": "001", "name": "Adams Co."})


CHANGES = [
    ("user.create", _new_user, False),
    ("membership.grant", _grant, False),
    ("membership.roles", _roles_change, True),
    ("user.update", _profile, True),
    ("membership.remove", _remove, True),
    ("user.invitation_sent", _new_user, None),
    ("user.reset_link_sent", _password, None),
    ("period.create", _period_create, False),
    ("period.update", _period_update, True),
    ("period.close", _period_close, True),
    ("period.reopen", _period_reopen, True),
    ("local_site.create", _local_create, False),
    ("local_site.update", _local_update, True),
]


@pytest.mark.parametrize("action, change, has_before", CHANGES, ids=[c[0] for c in CHANGES])
def test_every_change_is_audited_with_actor_before_and_after(
    admin, demo, action, change, has_before
):
    change(admin, demo)
    entries = [e for e in _entries(demo, action) if e.actor_name == "admin"]
    assert len(entries) == 1, action
    entry = entries[0]
    assert entry.actor_id == _id(demo, User, username="admin")
    assert entry.site_id == _site_id(demo)
    if has_before is None:  # a password link: recorded, but never the link
        assert entry.before is None and entry.after is None
        return
    assert entry.after and entry.changes
    assert (entry.before is not None) == has_before
    page = admin.get(AUDIT, query_string={"action": action, "actor": "admin"}).get_data(
        as_text=True
    )
    assert "1 entry" in page and entry.summary.replace("'", "&#39;") in page


def test_restore_and_import_are_audited_as_grants(admin, demo):
    _restore(admin, demo)
    _import(admin, demo)
    grants = [e for e in _entries(demo, "membership.grant") if e.actor_name == "admin"]
    assert [e.before for e in grants] == [{"roles": ["observer"], "is_active": False}, None]
    assert grants[0].after == {"roles": ["observer"], "is_active": True}
    assert [e.summary for e in _entries(demo, "user.create") if e.actor_name == "admin"] == [
        "Created user Im Ported"
    ]


def test_a_refused_change_writes_nothing(admin, demo):
    before = len(_entries(demo, "membership.roles"))
    admin.post(
        f"{USERS}/{_membership(demo, 'admin')}",
        data={"display_name": "Avery Admin", "email": "admin@demo.example", **_roles(reviewer=1)},
    )
    assert len(_entries(demo, "membership.roles")) == before


def test_the_site_audit_page_shows_only_that_sites_entries(admin, demo):
    admin.post(
        "/demo/cfsr/local-sites/new",
        data={"code": "777", "name": "Cfsr Only County"},
        follow_redirects=True,
    )
    outsider = demo.test_client()
    login(outsider, "outsider")
    outsider.post("/other/cqi/local-sites/new", data={"code": "888", "name": "Other State County"})
    _local_create(admin, demo)
    page = admin.get(AUDIT).get_data(as_text=True)
    assert "Added local site Nine County" in page
    assert "Cfsr Only County" not in page and "Other State County" not in page
    assert "Created jurisdiction" not in page  # not any one site's change
    page = admin.get("/demo/cfsr/admin/audit").get_data(as_text=True)
    assert "Cfsr Only County" in page and "Nine County" not in page


def test_only_state_administrators_read_the_audit_log(demo, client):
    login(client, "reviewer")
    assert client.get(AUDIT).status_code == 403
    client.post("/logout")
    login(client, "outsider")
    assert client.get(AUDIT).status_code == 404


def test_filters_by_actor_action_and_date(admin, demo):
    _local_create(admin, demo)
    _period_create(admin, demo)
    with demo.app_context():
        entry = db.session.get(AuditEntry, _entries(demo, "period.create")[-1].id)
        entry.created_at = datetime(2025, 3, 15, 12, 0)
        db.session.commit()

    def shown(**query):
        return admin.get(AUDIT, query_string=query).get_data(as_text=True)

    page = shown(actor="ADMIN")  # the two above, and the demo's improvement plan
    assert "3 entries" in page and "Added local site Nine County" in page
    page = shown(actor="command line", action="local_site.create")
    assert "4 entries" in page and "Nine County" not in page
    page = shown(action="period")  # a family of actions
    assert "2 entries" in page
    page = shown(since="2025-03-15", until="2025-03-15")
    assert "1 entry" in page and "Created review period Audited" in page
    page = shown(until="2025-03-14")
    assert "0 entries" in page
    page = shown(since="2025-03-16", actor="admin", action="local_site")
    assert "1 entry" in page and "Nine County" in page
    assert shown(actor="nobody").count('<td data-label="When">') == 0


@pytest.mark.parametrize(
    "query",
    [
        {"since": "yesterday"},
        {"until": "2025-13-40"},
        {"since": "0001-01-01", "until": "9999-12-31"},
        {"until": "9999-12-31"},
        {"page": "-3"},
        {"action": "x" * 500},
    ],
)
def test_a_bad_filter_shows_a_message_and_never_fails(admin, demo, query):
    response = admin.get(AUDIT, query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if "until" in query and query["until"].startswith("2025"):
        assert "Not a valid date value." in page
    if query.get("since") == "yesterday":
        assert "Not a valid date value." in page and "entries" in page
