"""Who sees and changes which interview; bad records are refused with a message."""

from sqlalchemy import func, select

from review_app.extensions import db
from review_app.interviews.models import Interview
from review_app.qa.models import Thread
from tests.core.test_access_table import _snapshot
from tests.interviews.conftest import SITE, make_interview, period_of, user


def _thread_on(app, interview_id: int) -> int:
    from review_app.interviews.operations import start_thread

    with app.app_context():
        thread = start_thread(
            user("qa"), db.session.get(Interview, interview_id), "25", "Which reports?"
        )
        db.session.commit()
        return thread.id


def test_observer_reads_every_note_and_comment_and_changes_nothing(demo, clients):
    interview_id = make_interview(
        demo,
        notes={"reviewer": {"29": "Waiting lists are long."}, "reviewer2": {"29": "Yes."}},
        complete=True,
    )
    thread_id = _thread_on(demo, interview_id)
    observer = clients("observer")
    page = observer.get(f"{SITE}/interviews/{interview_id}").get_data(as_text=True)
    assert "[Riley Reviewer]\nWaiting lists are long.\n\n[Robin Reviewer]\nYes." in page
    assert "Which reports?" in page and "Complete" in page
    assert "Merge the notes" not in page and "Return to draft" not in page
    assert f"/interviews/{interview_id}" in observer.get(f"{SITE}/interviews").get_data(
        as_text=True
    )
    before = _snapshot(demo)
    base = f"{SITE}/interviews/{interview_id}"
    for url in (
        f"{SITE}/interviews/new",
        f"{base}/edit",
        f"{base}/notes",
        f"{base}/final",
        f"{base}/actions",
        f"{base}/threads",
        f"{base}/threads/{thread_id}/replies",
        f"{base}/threads/{thread_id}/resolve",
    ):
        response = observer.post(url, data={"action": "return", "reason": "x", "body": "x"})
        assert response.status_code == 403, url
    assert _snapshot(demo) == before


def test_a_reviewer_sees_only_the_interviews_they_take_part_in(demo, clients):
    theirs = make_interview(demo, supporting=("reviewer2",), title="Court staff")
    not_theirs = make_interview(demo, supporting=(), title="Youth panel")
    reviewer2 = clients("reviewer2")
    listing = reviewer2.get(f"{SITE}/interviews").get_data(as_text=True)
    assert "Court staff" in listing and "Youth panel" not in listing
    assert "1 interview you take part in" in listing
    assert reviewer2.get(f"{SITE}/interviews/{not_theirs}").status_code == 403
    assert reviewer2.get(f"{SITE}/interviews/{theirs}").status_code == 200
    # A supporting note-taker writes notes but does not edit the details.
    assert reviewer2.get(f"{SITE}/interviews/{theirs}/notes").status_code == 200
    assert reviewer2.get(f"{SITE}/interviews/{theirs}/edit").status_code == 403
    admin_list = clients("admin").get(f"{SITE}/interviews").get_data(as_text=True)
    assert "Court staff" in admin_list and "Youth panel" in admin_list
    assert clients("admin").get(f"{SITE}/interviews/{not_theirs}/notes").status_code == 403


def test_another_sites_interview_or_thread_is_not_found(demo, clients):
    interview_id = make_interview(demo)
    other = make_interview(demo, kind="cfsr")
    thread_id = _thread_on(demo, other)
    admin, qa = clients("admin"), clients("qa")
    assert admin.get(f"/demo/cfsr/interviews/{interview_id}").status_code == 404
    assert admin.get(f"/other/cqi/interviews/{interview_id}").status_code == 404
    response = qa.post(
        f"{SITE}/interviews/{interview_id}/threads/{thread_id}/replies", data={"body": "x"}
    )
    assert response.status_code == 404
    with demo.app_context():
        assert len(db.session.get(Thread, thread_id).comments) == 1


def _form(**changes) -> dict:
    period = period_of()
    form = {
        "held_on": "2026-07-01",
        "local_site_id": str(period.local_sites[0].id),
        "stakeholder_types": ["judges"],
        "interviewer_id": str(user("reviewer").id),
        "official_note_taker_id": str(user("reviewer").id),
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def test_a_bad_record_is_refused_with_a_message_and_the_form_kept(demo, clients):
    reviewer = clients("reviewer")
    with demo.app_context():
        cases = [
            (_form(stakeholder_types=None), "Choose at least one type of stakeholder"),
            (
                _form(
                    interviewer_id=str(user("reviewer2").id),
                    official_note_taker_id=str(user("reviewer2").id),
                ),
                "Record only interviews you take part in",
            ),
            (
                _form(supporting_ids=[str(user("reviewer").id)]),
                "Riley Reviewer is the official note-taker",
            ),
            (
                _form(official_note_taker_id=str(user("qa").id)),
                "Choose the official note-taker from the site&#39;s reviewers",
            ),
            (_form(local_site_id="999999"), "Choose one of the local sites of this review period"),
            (_form(held_on="1900-01-01"), "Give a date between"),
            (_form(title="Setting " * 30), "Field cannot be longer than 120 characters"),
        ]
    for data, message in cases:
        response = reviewer.post(f"{SITE}/interviews/new", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, message
        assert message in page, message
    with demo.app_context():
        assert db.session.scalar(select(func.count()).select_from(Interview)) == 0


def test_note_takers_who_wrote_notes_stay_note_takers(demo, clients):
    interview_id = make_interview(demo, notes={"reviewer2": {"19": "Data entry lags."}})
    with demo.app_context():
        data = _form(supporting_ids=[])
    response = clients("reviewer").post(f"{SITE}/interviews/{interview_id}/edit", data=data)
    assert response.status_code == 422
    assert "Robin Reviewer already wrote notes on this interview" in response.get_data(as_text=True)


def test_a_period_with_interviews_keeps_its_instrument_version(next_round):
    from datetime import date

    import pytest

    from review_app.core.errors import OperationError
    from review_app.interviews.facts import InterviewFacts
    from review_app.interviews.operations import create_interview
    from review_app.periods.operations import create_period, update_period

    with next_round.app_context():
        site = period_of().site
        period = create_period(
            None,
            site,
            "Interviews only",
            None,
            date(2027, 6, 30),
            "cfsr-round4",
            period_of().local_sites,
        )
        reviewer = user("reviewer")
        create_interview(
            reviewer,
            period,
            InterviewFacts(
                held_on=date(2027, 6, 1),
                local_site=period.local_sites[0],
                stakeholder_types=["youth"],
                interviewer=reviewer,
                official_note_taker=reviewer,
            ),
        )
        with pytest.raises(OperationError, match="interviews or systemic ratings"):
            update_period(
                None,
                period,
                period.name,
                None,
                period.pur_end,
                "next-round",
                period.local_sites,
            )
        db.session.rollback()
