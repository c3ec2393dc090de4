"""Signals other domains listen to when someone's access to a site ends."""

from blinker import Namespace

_signals = Namespace()

# Sent with the membership (as sender) and ``actor`` when a member's access to a site
# is removed; tokens revoke the member's tokens for that site, so that giving the
# access back later does not revive them.
access_removed = _signals.signal("access-removed")
