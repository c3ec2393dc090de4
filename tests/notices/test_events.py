"""Each event tells the right people, and nobody else: never the one who acted."""

from datetime import date

import pytest
from sqlalchemy import select

from review_app.cases.facts import CaseFacts
from review_app.cases.models import Case
from review_app.cases.operations import create_case, update_case
from review_app.core.unit import command_unit
from review_app.extensions import db
from review_app.notices.operations import set_delivery
from review_app.notices.states import Delivery, NoticeKind
from review_app.periods.models import ReviewPeriod
from review_app.qa.operations import move_caseload, reply, start_thread, transition
from review_app.sites.queries import site_by_slug
from tests.interviews.conftest import make_interview, user
from tests.notices.conftest import told, who
from tests.smtpserver import html_of, text_of


def _act(app, username: str, case_id: int, action: str, **extra) -> None:
    with app.app_context(), command_unit():
        transition(user(username), db.session.get(Case, case_id), action, **extra)


def test_a_submitted_case_tells_the_level_1_qa_staff_only(demo, complete_case):
    _act(demo, "reviewer", complete_case, "submit")
    assert who(demo) == ["qa"]  # not qa2 (level 2 of this two-level site), not the reviewer
    (message,) = [m for _, m in told(demo)]
    assert "QA level 1 queue" in message


def test_a_return_tells_the_reviewers_and_not_the_qa_person(demo, complete_case):
    _act(demo, "reviewer", complete_case, "submit")
    _act(demo, "qa", complete_case, "take")
    _act(demo, "qa", complete_case, "return", reason="Item 3 needs the dates.")
    assert who(demo, NoticeKind.CASE_RETURNED) == ["reviewer"]
    with demo.app_context():
        number = db.session.get(Case, complete_case).case_number
    assert told(demo, NoticeKind.CASE_RETURNED)[0][1] == f"Case {number} was returned to you by QA."


def test_passing_to_level_2_tells_the_level_2_staff(demo, complete_case):
    _act(demo, "reviewer", complete_case, "submit")
    _act(demo, "qa", complete_case, "take")
    _act(demo, "qa", complete_case, "to_level2")
    assert who(demo, NoticeKind.QUEUE_ARRIVAL) == ["qa", "qa2"]  # submit, then level 2


def test_comments_tell_the_reviewers_and_the_holder_never_the_author(demo, complete_case):
    _act(demo, "reviewer", complete_case, "submit")
    _act(demo, "qa", complete_case, "take")
    with demo.app_context(), command_unit():
        thread = start_thread(
            user("qa"), db.session.get(Case, complete_case), "3", None, "Which dates?"
        )
        thread_id = thread.id
    assert who(demo, NoticeKind.NEW_COMMENT) == ["reviewer"]
    with demo.app_context(), command_unit():
        case = db.session.get(Case, complete_case)
        reply(user("reviewer"), case, db.session.get(type(thread), thread_id), "The April ones.")
    assert who(demo, NoticeKind.NEW_COMMENT) == ["reviewer", "qa"]


def _facts(period, *reviewers, number="NOTE-1"):
    return CaseFacts(
        number,
        "foster_care",
        period.local_sites[0],
        "Jamie Childname",
        pur_start=date(2026, 5, 1),
        reviewers=list(reviewers),
    )


def _period(kind: str = "cqi") -> ReviewPeriod:
    site = site_by_slug("demo", kind)
    return db.session.scalar(select(ReviewPeriod).where(ReviewPeriod.site_id == site.id))


def test_a_new_case_tells_its_reviewers_and_an_edit_only_the_new_one(demo):
    with demo.app_context(), command_unit():
        case = create_case(user("admin"), _period(), _facts(_period(), user("reviewer")))
        case_id = case.id
    assert told(demo) == [("reviewer", "Case NOTE-1 was assigned to you.")]
    with demo.app_context(), command_unit():
        case = db.session.get(Case, case_id)
        update_case(user("admin"), case, _facts(_period(), user("reviewer"), user("reviewer2")))
    assert who(demo) == ["reviewer", "reviewer2"]


def test_a_reviewer_who_adds_a_case_for_themselves_is_not_told(demo):
    with demo.app_context(), command_unit():
        create_case(user("reviewer"), _period(), _facts(_period(), user("reviewer")))
    assert told(demo) == []


def test_a_caseload_move_tells_the_reviewer_who_receives_it(demo):
    with demo.app_context(), command_unit():
        period = _period()
        create_case(None, period, _facts(period, user("reviewer")))
    with demo.app_context(), command_unit():
        site = site_by_slug("demo", "cqi")
        cases, _ = move_caseload(user("admin"), site, user("reviewer"), user("reviewer2"))
        assert cases
    assert told(demo)[0] == ("reviewer", "Case NOTE-1 was assigned to you.")  # when added
    moved = told(demo)[1:]
    assert ("reviewer2", "Case NOTE-1 was moved to you.") in moved
    # Only reviewer2 is told (not the admin who moved them, nor the reviewer who lost them),
    # and not of a case they already shared.
    assert {username for username, _ in moved} == {"reviewer2"}
    assert all(message.endswith("was moved to you.") for _, message in moved)


def test_the_last_note_taker_done_tells_the_official_note_taker(demo):
    from review_app.interviews.models import Interview
    from review_app.interviews.note_operations import save_notes

    interview_id = make_interview(demo, supporting=("reviewer2",))
    assert told(demo) == []
    with demo.app_context(), command_unit():
        interview = db.session.get(Interview, interview_id)
        notes = interview.notes_of(user("reviewer2").id)
        save_notes(user("reviewer2"), interview, notes, {"20": "Plans."}, notes.lock_version, True)
    assert who(demo, NoticeKind.MERGE_WAITING) == ["reviewer"]
    assert "waiting for you to merge" in told(demo)[0][1]


def test_an_undone_change_tells_nobody_and_sends_nothing(demo, complete_case, mailbox):
    with demo.app_context(), command_unit():
        set_delivery(user("qa"), site_by_slug("demo", "cfsr"), Delivery.AT_ONCE.value)
    with pytest.raises(RuntimeError), demo.app_context(), command_unit():
        transition(user("reviewer"), db.session.get(Case, complete_case), "submit")
        raise RuntimeError("something after the submit failed")
    assert told(demo) == []
    assert mailbox == []


def test_at_once_emails_the_event_with_the_site_and_no_child_name(demo, complete_case, mailbox):
    with demo.app_context(), command_unit():
        set_delivery(user("reviewer"), site_by_slug("demo", "cfsr"), Delivery.AT_ONCE.value)
        case = db.session.get(Case, complete_case)
        number, child = case.case_number, case.child_name
    _act(demo, "reviewer", complete_case, "submit")
    _act(demo, "qa", complete_case, "take")
    assert mailbox == []  # qa keeps the default: the daily digest
    _act(demo, "qa", complete_case, "return", reason="Item 3 needs the dates.")
    (message,) = mailbox
    assert message["To"] == "reviewer@demo.example"
    assert message["Subject"] == f"[Demo State CFSR] Case {number} was returned to you by QA."
    text, html = text_of(message), html_of(message)
    assert f"Case {number} was returned to you by QA." in text
    assert "/demo/cfsr/notifications/" in text and "<a href=" in html
    for part in (text, html, message["Subject"]):
        assert child not in part
        assert "Item 3 needs the dates" not in part  # the event, not the case's content
    with demo.app_context():
        from review_app.notices.models import Notice

        returned = select(Notice.emailed_at).where(Notice.kind == NoticeKind.CASE_RETURNED)
        assert db.session.scalar(returned) is not None


def test_a_case_handed_to_a_qa_person_tells_them(demo, complete_case):
    from review_app.qa import holding_operations

    _act(demo, "reviewer", complete_case, "submit")
    _act(demo, "qa", complete_case, "take")
    _act(demo, "qa", complete_case, "to_level2")
    with demo.app_context(), command_unit():
        case = db.session.get(Case, complete_case)
        holding_operations.hand_over(user("admin"), case, user("qa2"))
        number = case.case_number
    assert told(demo, NoticeKind.CASE_ASSIGNED) == [
        ("qa2", f"Case {number} was handed to you for QA level 2.")
    ]


def test_an_emailed_link_starts_with_the_public_address_whatever_host_the_request_named(
    demo, complete_case, mailbox
):
    with demo.app_context(), command_unit():
        set_delivery(user("reviewer"), site_by_slug("demo", "cfsr"), Delivery.AT_ONCE.value)
    _act(demo, "reviewer", complete_case, "submit")
    _act(demo, "qa", complete_case, "take")
    mailbox.clear()
    # A comment made in a request that named another host (the Host header is the sender's).
    with demo.test_request_context(base_url="http://evil.example"), command_unit():
        case = db.session.get(Case, complete_case)
        start_thread(user("qa"), case, "4", None, "Which visit was this?")
    (message,) = mailbox
    body = text_of(message) + html_of(message)
    assert "evil.example" not in body
    assert demo.config["PUBLIC_URL"] + "/demo/cfsr/notifications/" in body
