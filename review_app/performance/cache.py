"""Figures kept per worker until the site next changes.

Every change to a site's data writes an audit entry, so the site's newest
audit entry id is a version of all its data: figures computed at one version
stay right until that id moves. A hit costs one indexed statement instead of
the grouped counts over every case of a period. Entries also expire after ten
minutes, which bounds any surprise (a database restored under running workers).
"""

from collections.abc import Callable
from threading import Lock
from typing import TypeVar

from cachetools import TTLCache

from review_app.audit.queries import site_version
from review_app.performance.queries import Filters, Performance, performance

T = TypeVar("T")
_figures: TTLCache = TTLCache(maxsize=512, ttl=600)
_lock = Lock()


def cached(name: str, site_id: int, filters: Filters, compute: Callable[[], T]) -> T:
    """Return ``compute()`` for these filters, from the cache while the site is unchanged."""
    key = (name, site_id, tuple(sorted(filters.as_args().items())), site_version(site_id))
    with _lock:
        if key in _figures:
            return _figures[key]
    value = compute()
    with _lock:
        _figures[key] = value
    return value


def site_figures(site_id: int, filters: Filters) -> Performance:
    """Return the site's performance figures for the filters, kept until the site changes."""
    return cached("figures", site_id, filters, lambda: performance(site_id, filters))


def clear() -> None:
    """Forget every kept figure (tests that count statements start from nothing)."""
    with _lock:
        _figures.clear()
