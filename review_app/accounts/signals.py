"""Signals other domains listen to when an account's credentials stop being trusted."""

from blinker import Namespace

_signals = Namespace()

# Sent with the user (as sender), ``actor`` and ``reason`` when every credential the
# user holds must stop working: an administrator's password reset (suspected
# compromise), a deactivation, a reactivation. Tokens listen and revoke theirs.
credentials_withdrawn = _signals.signal("credentials-withdrawn")
