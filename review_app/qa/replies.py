"""The reply and resolve forms of a QA thread, and refused text kept for its form.

Shared by the case pages (QA) and the interview pages.
"""

from collections.abc import Callable

from flask import flash, request

from review_app.core.once import remember, sent_before
from review_app.core.views import attempt, run_operation
from review_app.drafts.hooks import keep_refused_form
from review_app.qa.forms import ReplyForm

# Shown with the text of a refused comment, reply, override or reason, back in its box.
NOT_SAVED = "Nothing was saved; what you wrote is back in the form."


def run_and_keep(change: Callable[[], object], success: str, page: str) -> bool:
    """Call one operation and say how it went; on a refusal, keep what was typed for ``page``.

    A refusal of one field is shown by that field when the form comes back on ``page``
    (``draft_error``); other refusals, or when nothing could be kept, say so at the top.
    Return whether the change was made.
    """
    with attempt() as outcome:
        change()
    error = outcome.error
    if error is None:
        flash(success, "success")
        return True
    field_error = (error.field, error.message) if error.field else None
    if not keep_refused_form(page, NOT_SAVED, field_error) or field_error is None:
        flash(error.message, "error")
    return False


def reply_from_form(reply: Callable[[str], object], location: str) -> None:
    """Give the posted reply to ``reply``, an operation taking its text; once per form sent."""
    form = ReplyForm()
    form.validate_on_submit()
    if sent_before("This reply was sent twice; it was added once.") is not None:
        return

    def add() -> None:
        reply(form.body.data or "")
        remember(location)

    run_and_keep(add, "Reply added.", location)


def resolve_from_form(set_open: Callable[[bool], object]) -> bool:
    """Give ``set_open`` the posted choice: resolve the thread, or open it again."""
    is_open = request.form.get("open") == "1"  # the app-wide CSRF check covers this form
    return run_operation(
        lambda: set_open(is_open), "Comment reopened." if is_open else "Comment resolved."
    )
