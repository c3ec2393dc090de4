"""A state administrator of the requested scope approves or declines; one decision only."""

import pytest
from sqlalchemy import select

from review_app.access_requests import operations, views
from review_app.access_requests.models import AccessRequest
from review_app.access_requests.states import RequestStatus
from review_app.accounts.operations import create_user
from review_app.audit.models import AuditEntry
from review_app.core.errors import OperationError
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.identity import membership_scope
from review_app.members.operations import grant_access
from tests.access_requests.conftest import (
    NEWCOMER,
    local_site,
    membership,
    region,
    requests_of,
    site,
    user,
)
from tests.conftest import PASSWORD, login, sent_after_signing_out
from tests.smtpserver import text_of

ADMIN_PAGES = "/demo/cqi/admin/access-requests"


def _northern_admin(demo) -> None:
    """Add "admin_north", a state administrator of the CQI site's Northern region only."""
    with demo.app_context():
        person = create_user(None, "admin_north", "Ned North", PASSWORD, email="ned@example.gov")
        grant_access(
            None,
            site("cqi"),
            person,
            RoleSet(is_state_admin=True),
            places=([region("cqi", "N")], []),
        )
        db.session.commit()


def test_the_admin_sees_the_waiting_request_and_approval_gives_the_access_asked(
    demo, clients, demo_request, mailbox
):
    admin = clients("admin")
    home = admin.get("/demo/cqi/").get_data(as_text=True)
    assert "Access requests: 1 waiting for your decision" in home
    listing = admin.get(ADMIN_PAGES).get_data(as_text=True)
    assert "Nico Newcomer" in listing and "Southern region" in listing
    page = admin.get(f"{ADMIN_PAGES}/{demo_request}").get_data(as_text=True)
    assert "I joined the Southern region&#39;s review team this month." in page
    response = admin.post(f"{ADMIN_PAGES}/{demo_request}/approve", follow_redirects=True)
    assert "Nico Newcomer now has the access they asked for" in response.get_data(as_text=True)
    with demo.app_context():
        made = membership(NEWCOMER)
        assert made.is_active and made.roles == RoleSet(is_reviewer=True)
        scope = membership_scope(made)
        assert scope.label == "Southern region"
        assert scope.local_site_ids == {local_site("cqi", "003").id, local_site("cqi", "004").id}
        asked = requests_of(NEWCOMER)[0]
        assert asked.status == RequestStatus.APPROVED and asked.decided_by_id == user("admin").id
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"access_request.approve", "membership.grant", "membership.scope"} <= actions
    assert [m["To"] for m in mailbox] == ["newcomer@demo.example"]
    assert mailbox[0]["Subject"] == "[Demo State CQI] Your access request was approved"
    body = text_of(mailbox[0])
    assert "approved by Avery Admin" in body and "Part of the site: Southern region" in body
    assert f"Open the site: {demo.config['PUBLIC_URL']}/demo/cqi/" in body
    assert clients(NEWCOMER).get("/demo/cqi/").status_code == 200
    assert "waiting for your decision" not in admin.get("/demo/cqi/").get_data(as_text=True)


def test_declining_needs_a_reason_which_the_person_is_emailed(demo, clients, demo_request, mailbox):
    admin = clients("admin")
    url = f"{ADMIN_PAGES}/{demo_request}/decline"
    response = admin.post(url, data={"decision_reason": "   "})
    assert response.status_code == 422
    assert "Give the reason for declining." in response.get_data(as_text=True)
    with demo.app_context():
        assert requests_of(NEWCOMER)[0].status == RequestStatus.PENDING
    response = admin.post(url, data={"decision_reason": "Ask your supervisor to confirm."})
    assert response.status_code == 302
    with demo.app_context():
        asked = requests_of(NEWCOMER)[0]
        assert asked.status == RequestStatus.DECLINED
        assert asked.decision_reason == "Ask your supervisor to confirm."
        assert membership(NEWCOMER) is None
    assert [m["To"] for m in mailbox] == ["newcomer@demo.example"]
    body = text_of(mailbox[0])
    assert "declined by Avery Admin" in body and "Ask your supervisor to confirm." in body
    assert f"{demo.config['PUBLIC_URL']}/access/requests" in body
    mine = clients(NEWCOMER).get("/access/requests").get_data(as_text=True)
    assert "Declined by Avery Admin: Ask your supervisor to confirm." in mine


@pytest.mark.real_commits
def test_of_two_administrators_approving_at_once_the_second_is_told_who_decided(
    demo, demo_request, monkeypatch
):
    """Both pages showed the request waiting; the second approval changes nothing."""
    with demo.app_context():
        second = create_user(None, "admin2", "Ada Second", PASSWORD)
        grant_access(None, site("cqi"), second, RoleSet(is_state_admin=True))
        db.session.commit()
    loaded = views._load_decidable

    def load_then_other_approves(request_id):
        asked = loaded(request_id)  # this request saw it waiting
        monkeypatch.setattr(views, "_load_decidable", loaded)  # once
        with demo.app_context():  # another administrator's request meanwhile, committed
            operations.approve_request(user("admin"), db.session.get(AccessRequest, request_id))
            db.session.commit()
        return asked

    monkeypatch.setattr(views, "_load_decidable", load_then_other_approves)
    client = demo.test_client()
    login(client, "admin2")
    response = client.post(f"{ADMIN_PAGES}/{demo_request}/approve", follow_redirects=True)
    assert "This request was already approved by Avery Admin." in response.get_data(as_text=True)
    with demo.app_context():
        assert requests_of(NEWCOMER)[0].decided_by_id == user("admin").id
        approvals = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "access_request.approve")
        ).all()
        assert len(approvals) == 1
    declined = client.post(f"{ADMIN_PAGES}/{demo_request}/decline", data={"decision_reason": "No."})
    assert declined.status_code == 409
    assert "This request was already approved by Avery Admin." in declined.get_data(as_text=True)


def test_a_limited_administrator_decides_only_requests_inside_their_scope(
    demo, clients, demo_request
):
    _northern_admin(demo)
    north = demo.test_client()
    login(north, "admin_north")
    assert "waiting for your decision" not in north.get("/demo/cqi/").get_data(as_text=True)
    assert "Nico Newcomer" not in north.get(ADMIN_PAGES).get_data(as_text=True)
    assert north.get(f"{ADMIN_PAGES}/{demo_request}").status_code == 404
    assert north.post(f"{ADMIN_PAGES}/{demo_request}/approve").status_code == 404
    with demo.app_context():
        assert requests_of(NEWCOMER)[0].status == RequestStatus.PENDING
        with pytest.raises(OperationError, match="an administrator whose access contains"):
            operations.approve_request(
                user("admin_north"), db.session.get(AccessRequest, demo_request)
            )
        # A request for Adams County is theirs to decide.
        adams = local_site("cqi", "001")
        operations.submit_request(
            user("reviewer2"), site("cfsr"), RoleSet(is_observer=True), False, [], [], "x"
        )
        inside = operations.submit_request(
            user("observer"), site("cqi"), RoleSet(is_reviewer=True), True, [], [adams], "x"
        )
        db.session.commit()
        inside_id = inside.id
    assert "Olive Observer" in north.get(ADMIN_PAGES).get_data(as_text=True)
    assert north.get(f"{ADMIN_PAGES}/{inside_id}").status_code == 200
    # The observer works on the whole site: a Northern administrator cannot narrow that.
    response = north.post(f"{ADMIN_PAGES}/{inside_id}/approve", follow_redirects=True)
    assert "already works on parts of this site beyond your access" in response.get_data(
        as_text=True
    )
    with demo.app_context():
        assert membership("observer").roles == RoleSet(is_observer=True)
        assert not membership("observer").is_limited


def test_approving_a_member_replaces_their_roles_and_scope_with_those_asked(demo):
    with demo.app_context():
        qa_north = user("qa_north")
        asked = operations.submit_request(
            qa_north,
            site("cqi"),
            RoleSet(is_site_leader=True),
            True,
            [],
            [local_site("cqi", "002")],
            "I now lead Baker County's review.",
        )
        operations.approve_request(user("admin"), asked)
        changed = membership("qa_north")
        assert changed.roles == RoleSet(is_site_leader=True)
        assert membership_scope(changed).label == "Baker County"
        back = operations.submit_request(
            qa_north, site("cqi"), RoleSet(qa_level=1), False, [], [], "Back to QA."
        )
        operations.approve_request(user("admin"), back)
        assert membership("qa_north").roles == RoleSet(qa_level=1)
        assert membership_scope(membership("qa_north")).is_whole_site


def test_no_one_decides_their_own_request(demo, clients):
    with demo.app_context():
        admin = user("admin")
        own = operations.submit_request(
            admin, site("cqi"), RoleSet(is_reviewer=True), False, [], [], "I review too."
        )
        with pytest.raises(OperationError, match="cannot decide your own request"):
            operations.approve_request(admin, own)
        db.session.commit()
        own_id = own.id
    assert clients("admin").get(f"{ADMIN_PAGES}/{own_id}").status_code == 404


def test_an_unknown_request_answers_not_found(demo, clients):
    assert clients("admin").get(f"{ADMIN_PAGES}/999999").status_code == 404
    assert clients(NEWCOMER).post("/access/requests/999999/withdraw").status_code == 404


def test_a_reason_typed_as_the_session_ended_is_back_after_signing_in(demo, demo_request):
    page = f"{ADMIN_PAGES}/{demo_request}"
    shown = sent_after_signing_out(
        demo, "admin", page, f"{page}/decline", {"decision_reason": "Ask your supervisor first."}
    )
    assert "Ask your supervisor first.</textarea>" in shown
