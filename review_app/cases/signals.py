"""Signals of the cases domain, for the domains above it (ratings, QA).

Cases sit below ratings and QA: a case's answers and ratings, and its QA threads,
are theirs. When something happens to a case that they must follow, cases send
a signal rather than import them. Receivers connect when their module is
imported; create_app imports them all (register_signal_receivers).
"""

from blinker import Namespace

_signals = Namespace()

# Sent with the new case (as sender) and ``actor`` once it is flushed: ratings adds
# its items to rate, the answers the face sheet takes from the case, and the
# calculated ratings (ratings/operations.py).
case_added = _signals.signal("case-added")

# Sent with the period (as sender) and the new ``cases`` of an import, once they are
# inserted: ratings adds the same rows as for one case, in bulk (ratings/operations.py).
cases_imported = _signals.signal("cases-imported")

# Sent with the case (as sender), ``actor`` and ``before`` (the case's audit fields
# before the change) once its facts changed: ratings writes a new birth date into
# the face sheet and rates again when the case type changed (ratings/operations.py).
case_facts_changed = _signals.signal("case-facts-changed")

# Sent with the case (as sender), ``instrument``, ``user`` and ``site`` when its page
# is shown. Each receiver returns what it adds to the template cases/show.html:
# ratings its ratings and what is still missing (ratings/pages.py), QA the
# actions, threads and hold (qa/pages.py).
case_page_shown = _signals.signal("case-page-shown")

# Sent with the site (as sender), ``actor`` and ``assigned`` (a list of (case, users
# newly assigned to it)) once the assignments are flushed: a case added, imported or
# edited. Notices tells each new reviewer (notices/receivers.py).
reviewers_assigned = _signals.signal("reviewers-assigned")

# Sent with the site (as sender), ``actor`` and ``removed`` (a list of (case, users no
# longer assigned to it)) once the assignments are flushed: a case edited or reassigned
# on the Assign cases page. Notices tells each reviewer taken off (notices/receivers.py).
reviewers_removed = _signals.signal("reviewers-removed")
