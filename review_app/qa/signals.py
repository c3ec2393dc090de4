"""Signals of the QA workflow that domains above it listen to."""

from blinker import Namespace

_signals = Namespace()

# Sent with a practice copy of an answer key (as sender) and ``actor`` as it is submitted,
# before its status moves. Training scores the copy (training/operations.py); an
# OperationError raised there refuses the submit.
practice_copy_submitted = _signals.signal("practice-copy-submitted")

# Sent with the site (as sender) and ``user`` when the inbox is shown. Each receiver
# returns what it adds to the page's template: interviews adds the open threads on
# interviews that wait for the user (interviews/queries.py).
inbox_shown = _signals.signal("inbox-shown")

# Sent with the case (as sender), ``actor`` and ``action`` (a name of
# cases.workflow.ACTIONS) once a workflow move is flushed and recorded. Notices tells
# the reviewers of a returned case and the QA staff of the queue it joined.
case_moved = _signals.signal("case-moved")

# Sent with the thread (as sender), ``actor`` (the comment's author) and ``site`` once a
# comment (a new thread's first one, or a reply) is added. Notices tells the case's
# reviewers and its QA holder.
comment_added = _signals.signal("comment-added")

# Sent with the case (as sender), ``actor`` and ``to_user`` once a reviewer was put in
# another's place (a caseload move, or its undoing). Notices tells ``to_user``.
case_reassigned = _signals.signal("case-reassigned")

# Sent with the case (as sender), ``actor`` and ``to_user`` once a state administrator
# handed the case to a QA person (not back to the queue). Notices tells ``to_user``.
case_handed_over = _signals.signal("case-handed-over")
