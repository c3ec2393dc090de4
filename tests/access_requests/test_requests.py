"""Asking for access, withdrawing, and what a state administrator sees and decides."""

import pytest
from sqlalchemy import select

from review_app.access_requests import operations, queries
from review_app.access_requests.states import RequestStatus
from review_app.audit.models import AuditEntry
from review_app.core.errors import OperationError
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.notices.models import Notice
from review_app.notices.operations import set_delivery
from review_app.notices.states import NoticeKind
from review_app.sites.queries import site_by_slug
from tests.access_requests.conftest import (
    NEWCOMER,
    local_site,
    region,
    requests_of,
    site,
    user,
)
from tests.smtpserver import text_of

ASK_CFSR = "/access/request/demo/cfsr"


def _ask(client, url=ASK_CFSR, **fields):
    data = {"reviewer": "y", "qa_level": "", "scope": "site", "reason": "I joined the team."}
    data.update(fields)
    return client.post(url, data={k: v for k, v in data.items() if v is not None})


def test_the_demo_newcomer_waits_for_a_decision_and_holds_no_site(demo, clients):
    page = clients(NEWCOMER).get("/").get_data(as_text=True)
    assert "You do not work on any site yet" in page and "Request access to a site" in page
    mine = clients(NEWCOMER).get("/access/requests").get_data(as_text=True)
    assert "Demo State CQI" in mine and "Southern region" in mine
    assert "Waiting for a decision" in mine
    assert clients(NEWCOMER).get("/demo/cqi/").status_code == 404


def test_choosing_a_site_leads_to_its_form_and_an_unknown_site_is_named(demo, clients):
    newcomer = clients(NEWCOMER)
    chooser = newcomer.get("/access/request").get_data(as_text=True)
    assert 'value="demo/cfsr"' in chooser and "Demo State CFSR" in chooser
    response = newcomer.get("/access/request?site=demo/cfsr")
    assert response.status_code == 302 and response.location == ASK_CFSR
    form = newcomer.get(ASK_CFSR).get_data(as_text=True)
    assert "Northern region (Adams County, Baker County)" in form and "Dawson County" in form
    response = newcomer.get("/access/request?site=nowhere/cqi")
    assert response.status_code == 422
    assert "There is no such site. Choose one from the list." in response.get_data(as_text=True)
    response = newcomer.get("/access/request/nowhere/cqi", follow_redirects=True)
    assert "There is no such site. Choose one from the list." in response.get_data(as_text=True)


def test_a_request_is_recorded_audited_and_the_administrators_are_told(demo, clients, mailbox):
    with demo.app_context():
        set_delivery(user("admin"), site("cfsr"), "at_once")  # admin wants email at once
        db.session.commit()
        north = region("cfsr", "N").id
    response = _ask(clients(NEWCOMER), scope="limited", region_ids=str(north))
    assert response.status_code == 302, response.get_data(as_text=True)
    with demo.app_context():
        made = requests_of(NEWCOMER)[-1]
        assert made.site_id == site("cfsr").id and made.status == RequestStatus.PENDING
        assert made.roles == RoleSet(is_reviewer=True) and made.is_limited
        assert made.scope_text == "Northern region" and made.reason == "I joined the team."
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "access_request.create")
            .order_by(AuditEntry.id.desc())
        )
        assert entry.site_id == site("cfsr").id and "Nico Newcomer asked" in entry.summary
        notices = db.session.scalars(
            select(Notice).where(
                Notice.kind == NoticeKind.ACCESS_REQUEST, Notice.site_id == site("cfsr").id
            )
        ).all()
        # The demo CFSR site's one state administrator; the Northern QA person is no admin.
        assert [n.recipient_id for n in notices] == [user("admin").id]
        assert "Nico Newcomer asks for access: Reviewer, Northern region." in notices[0].message
    assert [m["To"] for m in mailbox] == ["admin@demo.example"]
    assert "Nico Newcomer asks for access" in text_of(mailbox[0])


def test_bad_requests_are_refused_with_plain_words_and_nothing_is_kept(demo, clients):
    newcomer = clients(NEWCOMER)
    with demo.app_context():
        clark_of_cqi = local_site("cqi", "003").id
        before = len(requests_of(NEWCOMER))
    cases = [
        ({"scope": "limited"}, "Choose at least one region or local site, or ask for the whole"),
        ({"reviewer": None}, "Choose at least one role."),
        ({"reason": "  "}, "Give the reason you need this access."),
        (
            {"scope": "limited", "local_site_ids": str(clark_of_cqi)},
            "Choose among the local sites offered.",
        ),
        ({"site_leader": "y", "reviewer": None}, "A Site Leader leads named local sites"),
        ({"scope": "limited", "local_site_ids": "999999"}, "Choose among the local sites offered."),
        ({"scope": "everything"}, "Choose the whole site, or only some regions and local"),
        ({"local_site_ids": "x"}, "Local sites"),
        ({"qa_level": "3"}, "Choose one of the QA levels offered."),
    ]
    for fields, message in cases:
        response = _ask(newcomer, **fields)
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True), fields
    # The CQI site has one QA level; the demo newcomer already waits there.
    response = _ask(newcomer, "/access/request/demo/cqi", qa_level="2", reviewer=None)
    assert "This site has only one QA level" in response.get_data(as_text=True)
    response = _ask(newcomer, "/access/request/demo/cqi")
    assert response.status_code == 422
    assert "You already asked for access to Demo State CQI" in response.get_data(as_text=True)
    with demo.app_context():
        assert len(requests_of(NEWCOMER)) == before


def test_the_requester_withdraws_a_waiting_request_and_no_one_else_can(demo, clients, demo_request):
    url = f"/access/requests/{demo_request}/withdraw"
    assert clients("reviewer").post(url).status_code == 404
    assert clients("admin").post(url).status_code == 404
    response = clients(NEWCOMER).post(url, follow_redirects=True)
    assert "Your request for access to Demo State CQI is withdrawn." in response.get_data(
        as_text=True
    )
    with demo.app_context():
        assert requests_of(NEWCOMER)[0].status == RequestStatus.WITHDRAWN
        assert db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "access_request.withdraw")
        )
    again = clients(NEWCOMER).post(url, follow_redirects=True).get_data(as_text=True)
    assert "This request was withdrawn by the person who made it." in again
    # Withdrawn, the person may ask again.
    assert _ask(clients(NEWCOMER), "/access/request/demo/cqi").status_code == 302
    with demo.app_context():
        assert [r.status for r in requests_of(NEWCOMER)] == [
            RequestStatus.WITHDRAWN,
            RequestStatus.PENDING,
        ]


def test_a_second_send_at_the_same_moment_keeps_one_waiting_request(demo, monkeypatch):
    """The partial unique index stops a second pending request the check did not see."""
    with demo.app_context():
        newcomer, cfsr = user(NEWCOMER), site("cfsr")
        operations.submit_request(newcomer, cfsr, RoleSet(is_observer=True), False, [], [], "x")
        # The second send checked before the first wrote.
        monkeypatch.setattr(queries, "pending_of", lambda *args: [])
        with pytest.raises(OperationError, match="already asked for access to Demo State CFSR"):
            operations.submit_request(newcomer, cfsr, RoleSet(is_observer=True), False, [], [], "x")
        assert len([r for r in requests_of(NEWCOMER) if r.site_id == cfsr.id]) == 1


def test_a_removed_region_leaves_the_requests_naming_its_local_sites(demo):
    from review_app.access_requests.models import AccessRequest
    from review_app.sites.models import Region
    from review_app.sites.region_operations import remove_region

    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        south = db.session.scalar(
            select(Region).where(Region.site_id == site.id, Region.code == "S")
        )
        asked = db.session.scalar(select(AccessRequest).where(AccessRequest.site_id == site.id))
        assert asked.scope_text == "Southern region"
        remove_region(None, south)
        db.session.expire_all()
        assert asked.scope_text == "Clark County, Dawson County" and not asked.regions
