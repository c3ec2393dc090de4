"""Who may move a case where, and the bad inputs that are refused with a reason."""

import pytest
from sqlalchemy import func, select

from review_app.cases import workflow
from review_app.cases.models import Case
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.members.queries import user_by_username
from review_app.qa.models import Thread
from review_app.qa.operations import check_allowed
from review_app.ratings.models import ItemReview
from tests.qa.conftest import SITE, act, status_of

# status the case is put in -> action -> who may do it
MAY = {
    "in_progress": {"submit": {"reviewer"}, "eliminate": {"admin"}},
    "submitted": {"take": {"qa", "qa2"}, "eliminate": {"admin"}},
    "qa1": {"return": {"qa", "qa2"}, "to_level2": {"qa", "qa2"}, "eliminate": {"admin"}},
    "qa2": {"return": {"qa2"}, "finalize": {"qa2"}, "eliminate": {"admin"}},
    "returned": {"submit": {"reviewer"}, "eliminate": {"admin"}},
    "finalized": {"reopen": {"admin"}},
    "eliminated": {"reinstate": {"admin"}},
}
PEOPLE = ("reviewer", "reviewer2", "qa", "qa2", "observer", "admin")


def _put(app, case_id: int, status: str) -> None:
    with app.app_context():
        db.session.get(Case, case_id).status = status
        db.session.commit()


def _override_of(app, case_id: int, item_id: str) -> str | None:
    """The QA override rating stored on one item of the case, or None."""
    with app.app_context():
        return db.session.scalar(
            select(ItemReview.override_rating).where(
                ItemReview.case_id == case_id, ItemReview.item_id == item_id
            )
        )


@pytest.mark.parametrize("status", sorted(MAY))
def test_every_transition_for_every_role(demo, complete_case, status):
    """The rules as a table: every action by every person from every status, no HTTP.

    ``check_allowed`` is what the status route asks before it moves a case; the
    HTTP sample below shows the route follows it.
    """
    with demo.app_context():
        case = db.session.get(Case, complete_case)
        people = {who: user_by_username(who) for who in PEOPLE}
        for action in workflow.ACTIONS:
            for who in PEOPLE:
                case.status = status
                try:
                    check_allowed(people[who], case, action)
                    refused = None
                except OperationError as error:
                    refused = error.message
                allowed = who in MAY[status].get(action, set())
                assert (refused is None) == allowed, f"{who} {action} from {status}: {refused}"
        db.session.rollback()


# (status, action, person): one move each person may make, and one they may not, per status.
HTTP_SAMPLE = [
    ("in_progress", "submit", "reviewer"),
    ("in_progress", "submit", "reviewer2"),
    ("in_progress", "eliminate", "observer"),
    ("submitted", "take", "qa"),
    ("submitted", "take", "reviewer"),
    ("qa1", "to_level2", "qa"),
    ("qa1", "to_level2", "admin"),
    ("qa2", "finalize", "qa2"),
    ("qa2", "finalize", "qa"),
    ("returned", "submit", "reviewer"),
    ("returned", "submit", "qa"),
    ("finalized", "reopen", "admin"),
    ("finalized", "reopen", "qa2"),
    ("eliminated", "reinstate", "admin"),
    ("eliminated", "reinstate", "reviewer"),
]


@pytest.mark.parametrize(("status", "action", "who"), HTTP_SAMPLE)
def test_the_status_route_follows_the_rules(demo, clients, complete_case, status, action, who):
    _put(demo, complete_case, status)
    _, version = status_of(demo, complete_case)
    response = clients(who).post(
        f"{SITE}/cases/{complete_case}/status",
        data={
            "action": action,
            "status_version": str(version),
            "reason": "because",
            "reason_code": "unavailable",
            "confirmed": "1",
        },
    )
    allowed = who in MAY[status].get(action, set())
    moved = status_of(demo, complete_case)[0] != status
    if who == "observer":
        assert response.status_code == 403
    assert moved == allowed, f"{who} {action} from {status}"


def test_a_stale_form_from_a_second_qa_user_changes_nothing(demo, clients, complete_case):
    act(clients("reviewer"), demo, complete_case, "submit")
    _, version = status_of(demo, complete_case)
    first = clients("qa").post(
        f"{SITE}/cases/{complete_case}/status",
        data={"action": "take", "status_version": str(version)},
    )
    second = clients("qa2").post(
        f"{SITE}/cases/{complete_case}/status",
        data={"action": "take", "status_version": str(version)},
    )
    page = clients("qa2").get(second.location).get_data(as_text=True)
    assert first.status_code == second.status_code == 302
    assert "Someone else changed this case's status" in page or "not possible now" in page
    assert status_of(demo, complete_case) == ("qa1", version + 1)


def test_returning_and_eliminating_need_a_reason(demo, clients, complete_case):
    act(clients("reviewer"), demo, complete_case, "submit")
    act(clients("qa"), demo, complete_case, "take")
    assert "Give the reason" in act(clients("qa"), demo, complete_case, "return")
    assert "Choose the reason" in act(clients("admin"), demo, complete_case, "eliminate")
    page = act(clients("admin"), demo, complete_case, "eliminate", reason_code="other")
    assert "Explain the reason" in page
    assert status_of(demo, complete_case)[0] == "qa1"
    act(clients("admin"), demo, complete_case, "eliminate", reason_code="duplicate")
    page = clients("observer").get(f"{SITE}/cases/{complete_case}").get_data(as_text=True)
    assert "Eliminated from the sample: The case was sampled twice" in page


def test_an_incomplete_case_cannot_be_submitted(demo, clients):
    with demo.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.case_number == "FC-CFSR-101"))
    page = act(clients("reviewer"), demo, case_id, "submit")
    assert "The case is not complete" in page
    assert status_of(demo, case_id)[0] == "in_progress"


def test_no_comment_on_a_finalized_case_and_no_override_without_reason(
    demo, clients, complete_case
):
    qa = clients("qa")
    act(clients("reviewer"), demo, complete_case, "submit")
    act(qa, demo, complete_case, "take")
    page = qa.get(
        qa.post(
            f"{SITE}/cases/{complete_case}/items/4/override", data={"rating": "ani", "reason": " "}
        ).location
    ).get_data(as_text=True)
    assert "Give the reason for the override" in page
    assert _override_of(demo, complete_case, "4") is None
    _put(demo, complete_case, "finalized")
    response = qa.post(f"{SITE}/cases/{complete_case}/items/4/threads", data={"body": "Too late?"})
    assert "comments are closed" in qa.get(response.location).get_data(as_text=True)
    with demo.app_context():
        assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_a_level_one_override_shows_the_calculated_rating_beside_it(demo, clients, complete_case):
    qa = clients("qa")
    act(clients("reviewer"), demo, complete_case, "submit")
    act(qa, demo, complete_case, "take")
    qa.post(
        f"{SITE}/cases/{complete_case}/items/1/override",
        data={"rating": "not_applicable", "reason": "No report was received in the period."},
    )
    page = clients("observer").get(f"{SITE}/cases/{complete_case}").get_data(as_text=True)
    assert "QA override</span> <span>(calculated:" in page
    assert "(QA override)" in page  # flagged in the side navigation too


def test_reviewers_reply_but_only_qa_resolves(demo, clients, complete_case):
    act(clients("reviewer"), demo, complete_case, "submit")
    clients("qa").post(
        f"{SITE}/cases/{complete_case}/items/2/threads",
        data={"body": "Was 2B answered from the file?"},
    )
    with demo.app_context():
        thread_id = db.session.scalar(select(Thread.id))
    reviewer = clients("reviewer")
    reviewer.post(
        f"{SITE}/cases/{complete_case}/threads/{thread_id}/replies",
        data={"body": "Yes, and the caseworker confirmed it."},
    )
    assert (
        reviewer.post(
            f"{SITE}/cases/{complete_case}/threads/{thread_id}/resolve", data={"open": "0"}
        ).status_code
        == 403
    )
    other = clients("reviewer2").post(
        f"{SITE}/cases/{complete_case}/threads/{thread_id}/replies", data={"body": "Not my case"}
    )
    assert other.status_code == 403
    page = clients("qa").get(f"{SITE}/cases/{complete_case}/items/2").get_data(as_text=True)
    assert "the caseworker confirmed it" in page and "Mark resolved" in page


def test_the_return_reason_shows_and_blocked_actions_say_why(demo, clients, complete_case):
    qa, reviewer = clients("qa"), clients("reviewer")
    act(reviewer, demo, complete_case, "submit")
    act(qa, demo, complete_case, "take")
    qa.post(f"{SITE}/cases/{complete_case}/items/5/threads", data={"body": "Goal date?"})
    page = qa.get(f"{SITE}/cases/{complete_case}").get_data(as_text=True)
    assert "Pass to QA level 2: resolve the open comments above first." in page
    assert 'value="to_level2"' not in page
    act(qa, demo, complete_case, "return", reason="Item 5 needs the goal date.")
    for url in (f"{SITE}/cases/{complete_case}", f"{SITE}/inbox"):
        assert "Item 5 needs the goal date." in reviewer.get(url).get_data(as_text=True)


def test_an_item_that_does_not_apply_to_the_case_type_cannot_be_overridden(
    demo, clients, complete_case
):
    qa = clients("qa")
    act(clients("reviewer"), demo, complete_case, "submit")
    act(qa, demo, complete_case, "take")
    with demo.app_context():
        db.session.get(Case, complete_case).case_type = "in_home"  # item 4: foster care only
        db.session.commit()
    response = qa.post(
        f"{SITE}/cases/{complete_case}/items/4/override",
        data={"rating": "strength", "reason": "Placement was stable.", "confirmed": "1"},
    )
    page = qa.get(response.location).get_data(as_text=True)
    assert "Item 4 does not apply to in-home services cases" in page
    assert _override_of(demo, complete_case, "4") is None
