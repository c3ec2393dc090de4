"""Interview notes checked as open, then completed by someone else: the save is refused."""

import pytest

from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.interviews import operations
from review_app.interviews.models import Interview
from review_app.interviews.note_operations import merge, save_notes
from tests.interviews.conftest import make_interview, user

# Two requests at once: each on a connection of its own, committing for real.
pytestmark = pytest.mark.real_commits


def test_final_notes_saved_with_an_old_page_after_completion_are_refused(demo):
    interview_id = make_interview(demo, notes={"reviewer": {"20": "First notes."}})
    with demo.app_context():
        interview = db.session.get(Interview, interview_id)
        save_notes(
            user("reviewer2"),
            interview,
            interview.notes_of(user("reviewer2").id),
            {},
            interview.notes_of(user("reviewer2").id).lock_version,
            True,
        )
        merge(user("reviewer"), interview)
        db.session.commit()
    with demo.app_context():
        interview = db.session.get(Interview, interview_id)
        final = interview.final_notes
        assert interview.status == "draft"  # what this request saw when it checked
        with demo.app_context():  # another request completes the interview meanwhile
            operations.complete(user("reviewer"), db.session.get(Interview, interview_id))
            db.session.commit()
        with pytest.raises(OperationError, match="complete"):
            save_notes(
                user("reviewer"), interview, final, {"20": "Late words."}, final.lock_version
            )
        db.session.rollback()
    with demo.app_context():
        interview = db.session.get(Interview, interview_id)
        assert interview.status == "complete"
        assert "Late words." not in interview.final_notes.texts.get("20", "")
