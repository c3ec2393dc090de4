"""One CFSR case travels reviewer -> QA 1 -> returned -> fixed -> QA 1 -> QA 2 -> finalized."""

from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.qa.models import Thread
from review_app.ratings.models import ItemReview, RatingChange
from tests.qa.conftest import SITE, act, save_item_3, status_of


def _reassign(app, admin, case_id: int, username: str) -> None:
    from review_app.accounts.models import User
    from review_app.cases.models import Case

    with app.app_context():
        case = db.session.get(Case, case_id)
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        form = {
            "case_number": case.case_number,
            "case_type": case.case_type,
            "local_site_id": str(case.local_site_id),
            "child_name": case.child_name,
            "reviewer_ids": [str(user_id)],
        }
    assert admin.post(f"{SITE}/cases/{case_id}/edit", data=form).status_code == 302


def _thread_id(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Thread.id).where(Thread.case_id == case_id).order_by(Thread.id.desc())
        )


def test_a_case_travels_the_whole_workflow_and_its_history_shows_every_step(
    demo, clients, complete_case
):
    case_id, reviewer, qa, qa2 = complete_case, clients("reviewer"), clients("qa"), clients("qa2")
    assert "submitted for QA." in act(reviewer, demo, case_id, "submit")
    assert "Case" in qa.get(f"{SITE}/inbox").get_data(as_text=True)
    act(qa, demo, case_id, "take")
    assert status_of(demo, case_id)[0] == "qa1"

    # QA comments on a question, then returns the case.
    qa.post(
        f"{SITE}/cases/{case_id}/items/3/threads",
        data={"question_id": "3B", "body": "Which assessment is this based on?"},
    )
    page = act(qa, demo, case_id, "return", reason="Item 3 needs its source.")
    assert "Returned to reviewer" in page

    # The reviewer sees it in the inbox, fixes the item and answers.
    inbox = reviewer.get(f"{SITE}/inbox").get_data(as_text=True)
    assert "Which assessment is this based on?" in inbox and "returned" in inbox
    save_item_3(demo, reviewer, case_id)
    thread_id = _thread_id(demo, case_id)
    reviewer.post(
        f"{SITE}/cases/{case_id}/threads/{thread_id}/replies",
        data={"body": "The April assessment; added to the rationale."},
    )
    # The reviewer leaves: the administrator hands the case to reviewer2, who resubmits it.
    _reassign(demo, clients("admin"), case_id, "reviewer2")
    act(clients("reviewer2"), demo, case_id, "submit")
    act(qa, demo, case_id, "take")

    # An open thread blocks the next level; resolving it lets the case through.
    page = act(qa, demo, case_id, "to_level2")
    assert "still open: resolve them first" in page and status_of(demo, case_id)[0] == "qa1"
    qa.post(f"{SITE}/cases/{case_id}/threads/{thread_id}/resolve", data={"open": "0"})
    act(qa, demo, case_id, "to_level2")
    assert status_of(demo, case_id)[0] == "qa2"

    # Level 2 overrides a rating with a reason, then finalizes.
    with demo.app_context():
        rating = db.session.scalar(
            select(ItemReview.rating).where(
                ItemReview.case_id == case_id, ItemReview.item_id == "14"
            )
        )
    new = "ani" if rating == "strength" else "strength"
    qa2.post(
        f"{SITE}/cases/{case_id}/items/14/override",
        data={"rating": new, "reason": "The visit log shows gaps."},
    )
    item_page = qa2.get(f"{SITE}/cases/{case_id}/items/14").get_data(as_text=True)
    assert "QA override" in item_page and "The visit log shows gaps." in item_page
    act(qa2, demo, case_id, "finalize")
    assert status_of(demo, case_id)[0] == "finalized"

    # Everything is read-only now, and the history tells the story.
    assert (
        reviewer.post(
            f"{SITE}/cases/{case_id}/items/3", data={"lock_version": "0", "shown": "3A"}
        ).status_code
        == 403
    )
    history = clients("observer").get(f"{SITE}/cases/{case_id}/history").get_data(as_text=True)
    for step in (
        "submitted for QA",
        "QA level 1 started",
        "returned to the reviewers",
        "passed to QA level 2",
        "finalized",
        "The visit log shows gaps.",
    ):
        assert step in history, step
    with demo.app_context():
        actions = set(
            db.session.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.object_id == case_id, AuditEntry.object_type == "Case"
                )
            )
        )
        changes = db.session.scalars(
            select(RatingChange).where(RatingChange.case_id == case_id, RatingChange.item_id == "3")
        ).all()
    assert {"case.submit", "case.take", "case.return", "case.to_level2", "case.finalize"} <= actions
    assert any(c.case_status == "returned" and c.field == "rationale" for c in changes)
