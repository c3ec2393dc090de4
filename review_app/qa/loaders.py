"""Load a QA thread named in a URL, for the case pages (QA) and the interview pages."""

from flask import abort

from review_app.extensions import db
from review_app.qa.models import Thread


def load_thread(
    thread_id: int, *, case_id: int | None = None, interview_id: int | None = None
) -> Thread:
    """Load a thread of the case or the interview named, or 404."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or (thread.case_id, thread.interview_id) != (case_id, interview_id):
        abort(404)
    return thread
