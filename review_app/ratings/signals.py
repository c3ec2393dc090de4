"""Signals of the ratings domain, for the domains above it (QA)."""

from blinker import Namespace

_signals = Namespace()

# Sent with the case (as sender), ``item_id``, ``user`` and ``site`` when an item page
# is shown. Each receiver returns what it adds to the template ratings/item.html:
# QA its threads on the item and what the user may do there (qa/pages.py).
item_page_shown = _signals.signal("item-page-shown")
