"""The reply and resolve forms of a QA thread, and refused text kept for its form.

Shared by the case pages (QA) and the interview pages.
"""

from collections.abc import Callable

from flask import request

from review_app.core.once import remember, sent_before
from review_app.core.views import run_operation
from review_app.drafts.hooks import keep_refused_form
from review_app.qa.forms import ReplyForm

# Shown with the text of a refused comment, reply, override or reason, back in its box.
NOT_SAVED = "Nothing was saved; what you wrote is back in the form."


def keep_if_refused(done: bool, page: str) -> bool:
    """After a refused change, keep the text the person wrote to show again on ``page``."""
    if not done:
        keep_refused_form(page, NOT_SAVED)
    return done


def reply_from_form(reply: Callable[[str], object], location: str) -> None:
    """Give the posted reply to ``reply``, an operation taking its text; once per form sent."""
    form = ReplyForm()
    form.validate_on_submit()
    if sent_before("This reply was sent twice; it was added once.") is not None:
        return

    def add() -> None:
        reply(form.body.data or "")
        remember(location)

    keep_if_refused(run_operation(add, "Reply added."), location)


def resolve_from_form(set_open: Callable[[bool], object]) -> bool:
    """Give ``set_open`` the posted choice: resolve the thread, or open it again."""
    is_open = request.form.get("open") == "1"  # the app-wide CSRF check covers this form
    return run_operation(
        lambda: set_open(is_open), "Comment reopened." if is_open else "Comment resolved."
    )
