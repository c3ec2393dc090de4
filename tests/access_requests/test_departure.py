"""A departure ends a person's access to the jurisdiction's sites in one step."""

from sqlalchemy import select

from review_app.access_requests import operations
from review_app.access_requests.states import RequestStatus
from review_app.accounts.models import UserSession
from review_app.accounts.operations import create_user
from review_app.audit.models import AuditEntry
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.operations import grant_access
from review_app.notices.models import Notice
from review_app.notices.states import NoticeKind
from review_app.sites.queries import site_by_slug
from review_app.tokens.models import ApiToken
from review_app.tokens.operations import create_token
from tests.access_requests.conftest import membership, region, requests_of, site, user
from tests.conftest import PASSWORD, login
from tests.smtpserver import text_of

KINDS = ("training", "cqi", "cfsr")


def _depart_url(username: str, kind: str = "cqi") -> str:
    return f"/demo/{kind}/admin/users/{membership(username, kind).id}/depart"


def test_a_departure_ends_every_access_tokens_sessions_and_waiting_requests(demo, clients, mailbox):
    with demo.app_context():
        person = user("reviewer2")
        second = create_user(None, "admin2", "Ada Second", PASSWORD)
        grant_access(None, site("cqi"), second, RoleSet(is_state_admin=True))
        # Work in another state is that state's administrators' to end.
        grant_access(None, site_by_slug("other", "cqi"), person, RoleSet(is_reviewer=True))
        for kind in ("cqi", "cfsr"):
            create_token(None, person, site(kind), f"{kind} token")
        operations.submit_request(
            person, site("cqi"), RoleSet(qa_level=1), False, [], [], "I would like QA."
        )
        db.session.commit()
        url = _depart_url("reviewer2")
    departing = clients("reviewer2")
    assert departing.get("/demo/cqi/").status_code == 200
    admin = clients("admin")
    page = admin.get(url).get_data(as_text=True)
    for kind in ("Training", "CQI", "CFSR"):
        assert f"Access to Demo State {kind}" in page
    assert "Other State" not in page
    response = admin.post(url, follow_redirects=True)
    assert "Departure of Robin Reviewer recorded: access ended on Demo State Training, " in (
        response.get_data(as_text=True)
    )
    with demo.app_context():
        person = user("reviewer2")
        assert [membership("reviewer2", kind).is_active for kind in KINDS] == [False] * 3
        assert person.is_active  # still works in the other state
        assert (
            db.session.scalar(
                select(ApiToken.id).where(
                    ApiToken.user_id == person.id, ApiToken.revoked_at.is_(None)
                )
            )
            is None
        )
        assert (
            db.session.scalar(
                select(UserSession.id).where(
                    UserSession.user_id == person.id, UserSession.ended_at.is_(None)
                )
            )
            is None
        )
        assert requests_of("reviewer2")[0].status == RequestStatus.WITHDRAWN
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "membership.depart")
        )
        assert entry.after["kept"] == []
        told = db.session.scalars(select(Notice).where(Notice.kind == NoticeKind.DEPARTURE)).all()
        # The CQI site's other administrator is told; the actor is not.
        assert [(n.recipient_id, n.site_id) for n in told] == [(user("admin2").id, site("cqi").id)]
    assert departing.get("/demo/cqi/").status_code == 302  # signed out
    assert [m["To"] for m in mailbox] == ["reviewer2@demo.example"]
    assert "Your access to these sites of Demo State was removed" in text_of(mailbox[0])


def test_a_limited_administrator_ends_only_access_inside_their_scope(demo, clients):
    with demo.app_context():
        north = create_user(None, "admin_north", "Ned North", PASSWORD)
        grant_access(
            None, site("cqi"), north, RoleSet(is_state_admin=True), ([region("cqi", "N")], [])
        )
        db.session.commit()
        leader_url, reviewer_url = _depart_url("leader"), _depart_url("reviewer2")
    client = demo.test_client()
    login(client, "admin_north")
    # reviewer2 works on the whole site: outside the Northern administrator's scope, their
    # departure answers as if they did not exist, and nothing changes.
    assert client.get(reviewer_url).status_code == 404
    assert client.post(reviewer_url).status_code == 404
    with demo.app_context():
        assert all(membership("reviewer2", kind).is_active for kind in KINDS)
    client.post(leader_url)  # the Site Leader of Adams County, inside the Northern region
    with demo.app_context():
        assert not membership("leader").is_active


def test_no_one_records_their_own_departure(demo, clients):
    with demo.app_context():
        url = _depart_url("admin")
    admin = clients("admin")
    assert "another state administrator records your departure" in admin.get(url).get_data(
        as_text=True
    )
    response = admin.post(url)
    assert response.status_code == 422
    assert "You cannot record your own departure" in response.get_data(as_text=True)
    with demo.app_context():
        assert all(membership("admin", kind).is_active for kind in KINDS)


def test_the_member_page_offers_the_departure(demo, clients):
    with demo.app_context():
        url = f"/demo/cqi/admin/users/{membership('reviewer2').id}"
    page = clients("admin").get(url).get_data(as_text=True)
    assert "Departure: remove all access" in page
