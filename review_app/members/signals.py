"""Signals of the members domain: access that ends, and a question training answers."""

from typing import Any

from blinker import Namespace

from review_app.sites.models import Site

_signals = Namespace()

# Sent with the membership (as sender) and ``actor`` when a member's access to a site
# is removed; tokens revoke the member's tokens for that site, so that giving the
# access back later does not revive them.
access_removed = _signals.signal("access-removed")

# Sent with the site (as sender) and ``user_ids`` before someone is made a reviewer:
# training, a domain above members, answers with the site's reviewer qualification
# and how far these people are towards it (training/queries.py), or None.
qualification_asked = _signals.signal("qualification-asked")


def qualification(site: Site, user_ids: list[int]) -> Any:
    """Return the site's reviewer qualification with these people's figures (None: no rule)."""
    answers = qualification_asked.send(site, user_ids=user_ids)
    return next((found for _, found in answers if found is not None), None)


# Sent with the departing user (as sender), ``actor``, ``site`` (where the departure was
# made), ``sites`` (every site of the jurisdiction the actor administers) and ``ended``
# (the sites whose access ended) when a departure removed the person's access: access
# requests withdraw the person's pending requests to ``sites`` and tell the other
# administrators of ``ended``.
departed = _signals.signal("departed")
