"""Sign-in throttling that an attacker cannot turn against an account's owner.

Failures are counted per (username, address) pair, in the limiter's storage (so
every worker sees them when that storage is Redis). After ``LOGIN_SLOWDOWN``
failures the pair must wait; after ``LOGIN_LOCK`` it is refused until the oldest
failure leaves the window. Another address, the owner's, is not affected. How many
accounts one address may try is limited apart, per address, on the sign-in route.
Unknown usernames are counted the same way, so the answers never tell them apart.
"""

import hashlib
import math
import time

from flask import current_app
from limits import RateLimitItem, parse

from review_app.core.inputs import client_network
from review_app.extensions import limiter

SCOPE = "sign-in-pair"


def _rules() -> list[RateLimitItem]:
    return [parse(current_app.config["LOGIN_SLOWDOWN"]), parse(current_app.config["LOGIN_LOCK"])]


def _key(username: str, address: str) -> tuple[str, str, str]:
    # A digest keeps attacker-chosen text out of the storage keys and bounds their length.
    digest = hashlib.sha256(username.encode("utf-8", "replace")).hexdigest()[:32]
    return SCOPE, digest, client_network(address)


def wait_seconds(username: str, address: str) -> int:
    """Return how long the pair must wait before its next attempt (0: it may try now)."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return 0
    strategy, key, wait = limiter.limiter, _key(username, address), 0
    for rule in _rules():
        if not strategy.test(rule, *key):
            reset_at = strategy.get_window_stats(rule, *key).reset_time
            wait = max(wait, math.ceil(reset_at - time.time()), 1)
    return wait


def count_failure(username: str, address: str) -> bool:
    """Count a failed attempt of the pair; return True when it is now locked out."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    strategy, key = limiter.limiter, _key(username, address)
    for rule in _rules():
        strategy.hit(rule, *key)
    lock = parse(current_app.config["LOGIN_LOCK"])
    return not strategy.test(lock, *key)


def forget_failures(username: str, address: str) -> None:
    """Clear the pair's failures after a successful sign-in."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    for rule in _rules():
        limiter.limiter.clear(rule, *_key(username, address))
