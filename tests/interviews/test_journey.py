"""An interview with two note-takers is recorded, written, merged, commented on, completed
and cited by two systemic factor ratings."""

import re

from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.interviews.models import Interview
from review_app.qa.models import Thread
from tests.interviews.conftest import (
    SITE,
    act,
    note_version,
    period_of,
    status_version,
    texts_of,
    user,
)


def _record(demo, reviewer) -> int:
    with demo.app_context():
        period = period_of()
        form = {
            "held_on": "2026-06-15",
            "local_site_id": str(period.local_sites[0].id),
            "title": "Focus group with foster parents",
            "stakeholder_types": ["foster_adoptive_parents", "relative_caregivers"],
            "interviewer_id": str(user("reviewer").id),
            "official_note_taker_id": str(user("reviewer").id),
            "supporting_ids": [str(user("reviewer2").id)],
        }
    response = reviewer.post(f"{SITE}/interviews/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/interviews/(\d+)$", response.location).group(1))


def _write(client, demo, interview_id: int, username: str, texts: dict, done: bool):
    data = {f"note-{item}": text for item, text in texts.items()}
    data["lock_version"] = str(note_version(demo, interview_id, username))
    if done:
        data["is_done"] = "y"
    response = client.post(f"{SITE}/interviews/{interview_id}/notes", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_an_interview_is_written_merged_completed_commented_and_cited(demo, clients):
    reviewer, reviewer2, qa, admin = (
        clients(name) for name in ("reviewer", "reviewer2", "qa", "admin")
    )
    interview_id = _record(demo, reviewer)
    page = reviewer.get(f"{SITE}/interviews/{interview_id}").get_data(as_text=True)
    assert "Foster and adoptive parents; Relative caregivers" in page
    assert "Draft: 0 of 2 note-takers done writing" in page

    # Each note-taker writes their own notes; the official one is done, the other is not.
    _write(reviewer, demo, interview_id, "reviewer", {"20": "Plans are late.", "21": "Ok."}, True)
    _write(reviewer2, demo, interview_id, "reviewer2", {"20": "Parents rarely sign."}, False)

    # A merge while Robin is still writing is refused by name, and nothing changes.
    page = act(reviewer, demo, interview_id, "merge")
    assert "Robin Reviewer is still writing" in page
    assert texts_of(demo, interview_id, "reviewer2") == {"20": "Parents rarely sign."}
    assert texts_of(demo, interview_id, None) == {}

    _write(reviewer2, demo, interview_id, "reviewer2", {"20": "Parents rarely sign."}, True)
    act(reviewer, demo, interview_id, "merge")
    final = texts_of(demo, interview_id, None)
    assert (
        final["20"] == "[Riley Reviewer]\nPlans are late.\n\n[Robin Reviewer]\nParents rarely sign."
    )
    assert final["21"] == "[Riley Reviewer]\nOk."

    # The official note-taker edits the final notes.
    response = reviewer.post(
        f"{SITE}/interviews/{interview_id}/final",
        data={
            "note-20": "Plans are often late and parents rarely sign them.",
            "note-21": "Reviews happen every six months.",
            "lock_version": str(note_version(demo, interview_id, None)),
        },
    )
    assert response.status_code == 302

    # QA comments; completing is refused while the thread is open.
    qa.post(
        f"{SITE}/interviews/{interview_id}/threads",
        data={"item_id": "20", "body": "How many parents said so?"},
    )
    page = act(reviewer, demo, interview_id, "complete")
    assert "1 QA comment thread(s) are still open" in page
    inbox = reviewer2.get(f"{SITE}/inbox").get_data(as_text=True)
    assert "How many parents said so?" in inbox
    with demo.app_context():
        thread_id = db.session.scalar(select(Thread.id).where(Thread.interview_id == interview_id))
    reviewer2.post(
        f"{SITE}/interviews/{interview_id}/threads/{thread_id}/replies",
        data={"body": "Four of the six."},
    )
    qa.post(f"{SITE}/interviews/{interview_id}/threads/{thread_id}/resolve", data={"open": "0"})
    page = act(reviewer, demo, interview_id, "complete")
    assert "The interview is complete." in page
    assert "Four of the six." in page and "Resolved" in page

    # Complete notes are locked.
    response = reviewer.post(
        f"{SITE}/interviews/{interview_id}/final",
        data={"note-20": "Changed.", "lock_version": str(note_version(demo, interview_id, None))},
    )
    assert response.status_code == 409 and "The interview is complete" in response.get_data(
        as_text=True
    )

    # An administrator rates two items of the case review system, citing the interview.
    with demo.app_context():
        period_id = period_of().id
    for item, rating, why in (("20", "ani", "Plans are late."), ("21", "strength", "On time.")):
        response = admin.post(
            f"{SITE}/systemic/periods/{period_id}/items/{item}",
            data={
                "lock_version": "0",
                "rating": rating,
                "rationale": why,
                "interview_ids": [str(interview_id)],
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    summary = admin.get(f"{SITE}/systemic/periods/{period_id}/factors/case_review")
    page = summary.get_data(as_text=True)
    assert "Strength: 1" in page and "Area Needing Improvement: 1" in page
    assert "Not rated yet: 3" in page
    assert f"/interviews/{interview_id}" in page and "Plans are late." in page

    with demo.app_context():
        actions = set(
            db.session.scalars(
                select(AuditEntry.action).where(AuditEntry.object_type == "Interview")
            )
        )
        assert {
            "interview.create",
            "interview.notes",
            "interview.merge",
            "interview.complete",
        } <= actions
        assert db.session.get(Interview, interview_id).status == "complete"
    assert status_version(demo, interview_id) == 2  # the merge and the completion
