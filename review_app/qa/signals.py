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
