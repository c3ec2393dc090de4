"""Signals of the interviews domain, for the domains above it (notices)."""

from blinker import Namespace

_signals = Namespace()

# Sent with the interview (as sender) and ``actor`` when the last supporting note-taker
# marks their notes done: the official note-taker may merge now (notices tells them).
merge_ready = _signals.signal("merge-ready")
