"""Figures kept per worker until the site next changes.

Every change to a site's data writes an audit entry, so the site's newest
audit entry id is a version of all its data: figures computed at one version
stay right until that id moves. The id is read with the site at the start of
the request (``g.site_version``, review_app/core/sitectx.py), so a hit costs
no statement instead of the grouped counts over every case of a period.
Entries also expire after ten minutes, which bounds any surprise (a database
restored under running workers). The figures of a person limited to some local
sites are their scope's (core/scope.py), so the scope is part of the key.
"""

from collections.abc import Callable
from threading import Lock
from typing import Protocol, TypeVar

from cachetools import TTLCache
from flask import g

from review_app.core.scope import current_scope
from review_app.performance.queries import Filters, Performance, performance

T = TypeVar("T")
_figures: TTLCache = TTLCache(maxsize=512, ttl=600)
_lock = Lock()


class Choices(Protocol):
    """Anything that says which cases a figure counts as query-string arguments."""

    def as_args(self) -> dict: ...


def cached(name: str, filters: Choices, compute: Callable[[], T]) -> T:
    """Return ``compute()`` for the request's site and these filters, kept while it is unchanged."""
    scope = current_scope(g.site)
    key = (name, g.site.id, scope, tuple(sorted(filters.as_args().items())), g.site_version)
    with _lock:
        if key in _figures:
            return _figures[key]
    value = compute()
    with _lock:
        _figures[key] = value
    return value


def site_figures(filters: Filters) -> Performance:
    """Return the request's site's figures for the filters, kept until the site changes."""
    return cached("figures", filters, lambda: performance(g.site.id, filters))


def clear() -> None:
    """Forget every kept figure (tests that count statements start from nothing)."""
    with _lock:
        _figures.clear()
