"""QA comment threads on a case or an interview: opening, replying, resolving.

The subject's own operations (qa/operations.py for cases, interviews/operations.py)
check who may act and word the audit summary; these make the change and record it.
"""

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.core.locking import lock_row
from review_app.core.models import utcnow
from review_app.extensions import db
from review_app.qa.models import Comment, Thread
from review_app.qa.signals import comment_added
from review_app.sites.models import Site

MAX_COMMENT = 4000


def check_body(body: str) -> str:
    """Return the comment without blank edges, or refuse an empty or over-long one."""
    body = body.strip()
    if not body:
        raise OperationError("Write the comment.", "body")
    if len(body) > MAX_COMMENT:
        raise OperationError(
            f"Use at most {MAX_COMMENT} characters (this has {len(body)}).", "body"
        )
    return body


def open_thread(actor: User, thread: Thread, body: str, summary: str, site: Site) -> Thread:
    """Add a new thread with its first comment; ``body`` has passed ``check_body``."""
    thread.created_by = actor
    thread.comments.append(Comment(author=actor, body=body))
    db.session.add(thread)
    record(actor, "qa.comment", thread, summary, site=site, after={"body": body})
    comment_added.send(thread, actor=actor, site=site)
    return thread


def add_reply(actor: User, thread: Thread, body: str, summary: str, site: Site) -> Comment:
    """Add a comment to a thread."""
    comment = Comment(thread=thread, author=actor, body=check_body(body))
    db.session.add(comment)
    record(actor, "qa.reply", thread, summary, site=site, after={"body": comment.body})
    comment_added.send(thread, actor=actor, site=site)
    return comment


def set_open(actor: User, thread: Thread, is_open: bool, subject: str, site: Site) -> None:
    """Resolve a thread, or open it again; ``subject`` names what it is on, for the summary."""
    lock_row(thread)  # two people resolving at once: the second sees the first's answer
    if thread.is_open == is_open:
        raise OperationError(f"The thread is already {'open' if is_open else 'resolved'}.")
    thread.is_open = is_open
    thread.resolved_by, thread.resolved_at = (None, None) if is_open else (actor, utcnow())
    record(
        actor,
        "qa.reopen_thread" if is_open else "qa.resolve",
        thread,
        f"{'Reopened' if is_open else 'Resolved'} a comment on {subject}",
        site=site,
        before={"is_open": not is_open},
        after={"is_open": is_open},
    )
