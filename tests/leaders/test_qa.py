"""A Site Leader does first-level QA on the cases of their local sites, and on no others."""

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.operations import grant_access
from review_app.qa.models import Thread
from review_app.ratings.models import ItemReview
from review_app.sites.models import LocalSite
from review_app.sites.queries import site_by_slug
from tests.leaders.conftest import case_id
from tests.ratings.test_completeness import _fill

ADAMS, CLARK = "FC-CQI-101", "IH-CQI-103"


def _state(app, cid: int) -> tuple[str, int, str | None]:
    with app.app_context():
        case = db.session.get(Case, cid)
        return case.status, case.status_version, case.qa_holder.username if case.qa_holder else None


def _act(client, app, site: str, cid: int, action: str, **extra):
    _, version, _ = _state(app, cid)
    data = {"action": action, "status_version": str(version), "confirmed": "1", **extra}
    return client.post(f"{site}/cases/{cid}/status", data=data)


@pytest.fixture
def submitted(demo, both_regions, clients):
    """The Adams and the Clark County in-progress CQI cases, complete and submitted."""
    ids = {number: case_id(demo, number) for number in (ADAMS, CLARK)}
    for cid in ids.values():
        _fill(demo, cid)
        assert _act(clients("reviewer"), demo, "/demo/cqi", cid, "submit").status_code == 302
        assert _state(demo, cid)[0] == "submitted"
    return ids


def test_the_leader_works_the_qa_of_an_adams_county_case_to_the_end(demo, clients, submitted):
    leader, adams, site = clients("leader"), submitted[ADAMS], "/demo/cqi"
    queues = leader.get(f"{site}/qa").get_data(as_text=True)
    assert ADAMS in queues and CLARK not in queues
    inbox = leader.get(f"{site}/inbox").get_data(as_text=True)
    assert ADAMS in inbox and CLARK not in inbox
    # Take it; comment on item 1; resolve the thread; override a rating; finalize.
    assert _act(leader, demo, site, adams, "take").status_code == 302
    assert _state(demo, adams)[0::2] == ("qa1", "leader")
    # Released, the case waits unheld; the leader takes it again from the queue.
    assert leader.post(f"{site}/cases/{adams}/qa/release").status_code == 302
    assert _state(demo, adams)[2] is None
    assert leader.post(f"{site}/cases/{adams}/qa/take").status_code == 302
    assert _state(demo, adams)[2] == "leader"
    page = leader.get(f"{site}/qa/mine").get_data(as_text=True)
    assert ADAMS in page
    assert (
        leader.post(
            f"{site}/cases/{adams}/items/1/threads", data={"body": "Which visit was late?"}
        ).status_code
        == 302
    )
    with demo.app_context():
        thread = db.session.scalar(select(Thread).where(Thread.case_id == adams))
        thread_id, item_id = thread.id, thread.item_id
    _act(leader, demo, site, adams, "finalize")  # refused while the thread is open
    assert _state(demo, adams)[0] == "qa1"
    assert leader.post(f"{site}/cases/{adams}/threads/{thread_id}/resolve").status_code == 302
    with demo.app_context():
        assert db.session.get(Thread, thread_id).is_open is False
        calculated = db.session.scalar(
            select(ItemReview.rating).where(ItemReview.case_id == adams, ItemReview.item_id == "4")
        )
    other = "ani" if calculated == "strength" else "strength"
    response = leader.post(
        f"{site}/cases/{adams}/items/4/override",
        data={"rating": other, "reason": "The placement record shows otherwise."},
    )
    assert response.status_code == 302
    with demo.app_context():
        assert (
            db.session.scalar(
                select(ItemReview.override_rating).where(
                    ItemReview.case_id == adams, ItemReview.item_id == "4"
                )
            )
            == other
        )
    assert item_id == "1"
    assert _act(leader, demo, site, adams, "finalize").status_code == 302
    assert _state(demo, adams)[0] == "finalized"


def test_the_leader_returns_an_adams_county_case(demo, clients, submitted):
    leader, adams = clients("leader"), submitted[ADAMS]
    assert _act(leader, demo, "/demo/cqi", adams, "take").status_code == 302
    response = _act(leader, demo, "/demo/cqi", adams, "return", reason="Item 3 needs a date.")
    assert response.status_code == 302
    assert _state(demo, adams)[0] == "returned"


def test_a_clark_county_case_is_not_found_for_the_leader(demo, clients, submitted):
    leader, clark, site = clients("leader"), submitted[CLARK], "/demo/cqi"
    before = _state(demo, clark)
    for response in (
        leader.get(f"{site}/cases/{clark}"),
        leader.post(f"{site}/cases/{clark}/qa/take"),
        _act(leader, demo, site, clark, "take"),
        leader.post(f"{site}/cases/{clark}/items/1/threads", data={"body": "A question."}),
        leader.post(
            f"{site}/cases/{clark}/items/4/override", data={"rating": "ani", "reason": "No."}
        ),
        leader.get(f"{site}/cases/{clark}/history"),
    ):
        assert response.status_code == 404
    assert _state(demo, clark) == before
    with demo.app_context():
        assert db.session.scalar(select(Thread).where(Thread.case_id == clark)) is None
    # QA of the whole site takes it.
    assert _act(clients("qa"), demo, site, clark, "take").status_code == 302
    assert _state(demo, clark)[0::2] == ("qa1", "qa")


def test_on_a_two_level_site_the_leader_acts_at_level_1_only(demo, clients):
    from tests.qa.conftest import _complete_case

    with demo.app_context():
        site = site_by_slug("demo", "cfsr")
        adams = db.session.scalar(
            select(LocalSite).where(LocalSite.site_id == site.id, LocalSite.name == "Adams County")
        )
        leader = db.session.scalar(select(User).where(User.username == "leader"))
        grant_access(None, site, leader, RoleSet(is_site_leader=True), places=([], [adams]))
        db.session.commit()
    cid, site_path = _complete_case(demo), "/demo/cfsr"
    with demo.app_context():
        assert db.session.get(Case, cid).local_site.name == "Adams County"
    client = clients("leader")
    assert _act(clients("reviewer"), demo, site_path, cid, "submit").status_code == 302
    assert _act(client, demo, site_path, cid, "take").status_code == 302
    # At level 1 a two-level site's case is passed on, not finalized.
    page = client.get(f"{site_path}/cases/{cid}").get_data(as_text=True)
    assert "Pass to QA level 2" in page and 'value="finalize"' not in page
    _act(client, demo, site_path, cid, "finalize")
    assert _state(demo, cid)[0] == "qa1"
    assert _act(client, demo, site_path, cid, "to_level2").status_code == 302
    assert _state(demo, cid)[0] == "qa2"
    # Level 2 is not the leader's: taking, returning and finalizing are refused.
    client.post(f"{site_path}/cases/{cid}/qa/take")
    _act(client, demo, site_path, cid, "return", reason="Level 2 is not mine.")
    _act(client, demo, site_path, cid, "finalize")
    assert _state(demo, cid)[0::2] == ("qa2", None)
    page = client.get(f"{site_path}/cases/{cid}").get_data(as_text=True)
    assert 'value="finalize"' not in page and 'value="return"' not in page


def test_an_administrator_hands_qa_to_the_leader_of_the_case_s_local_site_only(
    demo, clients, submitted
):
    admin, qa, site = clients("admin"), clients("qa"), "/demo/cqi"
    for cid in submitted.values():
        assert _act(qa, demo, site, cid, "take").status_code == 302
    adams, clark = submitted[ADAMS], submitted[CLARK]
    assert "Lee Leader" in admin.get(f"{site}/cases/{adams}/qa/hand-over").get_data(as_text=True)
    assert "Lee Leader" not in admin.get(f"{site}/cases/{clark}/qa/hand-over").get_data(
        as_text=True
    )
    leader_id = _user_id(demo, "leader")
    refused = admin.post(f"{site}/cases/{clark}/qa/hand-over", data={"to_user": str(leader_id)})
    assert refused.status_code == 422
    assert "Choose a QA person of this case&#39;s level who works in Clark County." in (
        refused.get_data(as_text=True)
    )
    assert _state(demo, clark)[2] == "qa"
    handed = admin.post(f"{site}/cases/{adams}/qa/hand-over", data={"to_user": str(leader_id)})
    assert handed.status_code == 302
    assert _state(demo, adams)[2] == "leader"


def test_the_hand_over_itself_refuses_someone_whose_access_does_not_reach_the_case(
    demo, clients, submitted
):
    from review_app.core.errors import OperationError
    from review_app.qa.holding_operations import hand_over

    assert _act(clients("qa"), demo, "/demo/cqi", submitted[CLARK], "take").status_code == 302
    with demo.test_request_context(), demo.app_context():
        case = db.session.get(Case, submitted[CLARK])
        admin, leader = (
            db.session.scalar(select(User).where(User.username == name))
            for name in ("admin", "leader")
        )
        with pytest.raises(OperationError, match="Lee Leader's access does not reach Clark County"):
            hand_over(admin, case, leader)
        db.session.rollback()


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))
