"""Notes: size limits, stale forms, the merge and who may do what; nothing typed is lost."""

from review_app.interviews.note_operations import MAX_NOTE
from tests.interviews.conftest import (
    SITE,
    act,
    make_interview,
    note_version,
    status_version,
    texts_of,
)


def test_oversized_notes_are_refused_and_the_form_keeps_the_text(demo, clients):
    interview_id = make_interview(demo, notes={"reviewer": {"19": "Saved before."}})
    reviewer = clients("reviewer")
    long_text = "Judges said " + "x" * MAX_NOTE
    response = reviewer.post(
        f"{SITE}/interviews/{interview_id}/notes",
        data={
            "note-19": "Changed meanwhile.",
            "note-22": long_text,
            "lock_version": str(note_version(demo, interview_id, "reviewer")),
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem: nothing was saved" in page
    assert f"Item 22: Use at most {MAX_NOTE} characters (this has {len(long_text)})" in page
    assert long_text in page and "Changed meanwhile." in page  # both still in the form
    assert texts_of(demo, interview_id, "reviewer") == {"19": "Saved before."}


def test_a_stale_form_is_refused_with_both_versions_and_keeps_the_text(demo, clients):
    interview_id = make_interview(demo)
    reviewer = clients("reviewer")
    url = f"{SITE}/interviews/{interview_id}/notes"
    first = reviewer.post(url, data={"note-20": "First window.", "lock_version": "0"})
    second = reviewer.post(url, data={"note-20": "Second window.", "lock_version": "0"})
    page = second.get_data(as_text=True)
    assert first.status_code == 302 and second.status_code == 409
    assert "You already saved these notes (another tab, or a second click)" in page
    assert "First window." in page and "Second window." in page
    assert texts_of(demo, interview_id, "reviewer") == {"20": "First window."}
    # The form now carries the newer version, so saving again keeps the second text.
    assert 'name="lock_version" required type="hidden" value="1"' in page
    again = reviewer.post(url, data={"note-20": "Second window.", "lock_version": "1"})
    assert again.status_code == 302
    assert texts_of(demo, interview_id, "reviewer") == {"20": "Second window."}


def test_a_note_taker_can_unmark_done_until_the_merge(demo, clients):
    interview_id = make_interview(demo)
    reviewer2 = clients("reviewer2")
    url = f"{SITE}/interviews/{interview_id}/notes"
    reviewer2.post(url, data={"note-30": "Few services.", "lock_version": "0", "is_done": "y"})
    page = clients("reviewer").get(f"{SITE}/interviews/{interview_id}").get_data(as_text=True)
    assert "Draft: 1 of 2 note-takers done writing" in page
    reviewer2.post(url, data={"note-30": "Few services nearby.", "lock_version": "1"})
    assert "Robin Reviewer is still writing" in act(
        clients("reviewer"), demo, interview_id, "merge"
    )


def test_a_note_taker_saving_after_the_merge_keeps_their_text(demo, clients):
    interview_id = make_interview(demo, notes={"reviewer2": {"20": "Mine."}}, complete=False)
    reviewer2 = clients("reviewer2")
    url = f"{SITE}/interviews/{interview_id}/notes"
    reviewer2.post(url, data={"note-20": "Mine.", "lock_version": "1", "is_done": "y"})
    stale = str(note_version(demo, interview_id, "reviewer2"))
    act(clients("reviewer"), demo, interview_id, "merge")
    response = reviewer2.post(url, data={"note-20": "A late thought.", "lock_version": stale})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The notes were merged" in page and "Riley Reviewer, the official" in page
    assert "A late thought." in page
    assert "[Robin Reviewer]\nMine." in texts_of(demo, interview_id, None)["20"]


def test_only_the_official_note_taker_merges_edits_the_final_notes_and_completes(demo, clients):
    interview_id = make_interview(demo, notes={"reviewer2": {"20": "x"}})
    reviewer2 = clients("reviewer2")
    page = act(reviewer2, demo, interview_id, "merge")
    assert "Only the official note-taker, Riley Reviewer, can merge the notes" in page
    assert reviewer2.get(f"{SITE}/interviews/{interview_id}/final").status_code == 403
    assert "Only the official note-taker" in act(reviewer2, demo, interview_id, "complete")
    # QA cannot merge either, and an unmerged interview cannot be completed.
    assert "Only the official note-taker" in act(clients("qa"), demo, interview_id, "merge")
    page = act(clients("reviewer"), demo, interview_id, "complete")
    assert "notes first, then complete the interview" in page
    assert status_version(demo, interview_id) == 0


def test_a_stale_action_changes_nothing(demo, clients):
    interview_id = make_interview(demo, supporting=())
    reviewer = clients("reviewer")
    data = {"action": "merge", "status_version": "7"}
    response = reviewer.post(f"{SITE}/interviews/{interview_id}/actions", data=data)
    page = reviewer.get(response.location).get_data(as_text=True)
    assert "Someone else changed this interview a moment ago" in page
    assert texts_of(demo, interview_id, None) == {}


def test_qa_returns_a_complete_interview_to_draft_with_a_reason(demo, clients):
    interview_id = make_interview(demo, complete=True)
    qa, reviewer = clients("qa"), clients("reviewer")
    assert "Only QA staff" in act(reviewer, demo, interview_id, "return", reason="x")
    assert "Give the reason" in act(qa, demo, interview_id, "return")
    page = act(qa, demo, interview_id, "return", reason="Item 20 names a judge.")
    assert "back in draft" in page
    page = reviewer.get(f"{SITE}/interviews/{interview_id}").get_data(as_text=True)
    assert "Returned to draft by QA:</strong> Item 20 names a judge." in page
    response = reviewer.post(
        f"{SITE}/interviews/{interview_id}/final",
        data={
            "note-20": "A judge said so.",
            "lock_version": str(note_version(demo, interview_id, None)),
        },
    )
    assert response.status_code == 302
    assert "The interview is complete." in act(reviewer, demo, interview_id, "complete")


def test_a_double_clicked_notes_save_is_saved_once_without_a_conflict(demo, clients):
    interview_id = make_interview(demo)
    reviewer = clients("reviewer")
    url = f"{SITE}/interviews/{interview_id}/notes"
    first = reviewer.post(url, data={"note-20": "Said once.", "lock_version": "0"})
    second = reviewer.post(url, data={"note-20": "Said once.", "lock_version": "0"})
    assert first.status_code == 302 and second.status_code == 302
    assert texts_of(demo, interview_id, "reviewer") == {"20": "Said once."}
    assert note_version(demo, interview_id, "reviewer") == 1
