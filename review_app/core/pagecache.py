"""Rendered pages kept per worker while nothing they show can have changed.

A page marked ``@cached_page`` is kept, as rendered and encoded HTML, under a key made of
everything its content depends on:

- the path and query string;
- the site's version: the id of its newest audit entry of a change (reads of
  case data are audited too but left out). Every change to a site's data is
  audited, so a change anywhere on the site moves it;
- the key of the user's sign-in session (each sign-in has its own), the session's CSRF secret
  (the page's forms carry a token made from it), the user's roles on every
  site (the header lists the sites and the page offers what the roles allow) and
  the local sites their access reaches on this one (core/scope.py).

The access rule of the route still runs before every request. The checks the
view makes on the object (its site, the user's assignment, its status) read
only data covered by the key, so a kept page is served only to the same user,
with the same roles, while the site is unchanged. A request with a message
waiting to be shown (a flash) is rendered afresh, and so is any answer that is
not a plain 200 page. Entries expire after ``PAGE_CACHE_SECONDS`` (0 turns the
cache off), which bounds anything time-dependent on a page ("3 days").
"""

from collections.abc import Callable
from functools import wraps
from threading import Lock
from typing import Any, ParamSpec

from cachetools import TTLCache
from flask import Flask, Response, current_app, g, request, session
from flask.typing import ResponseReturnValue
from flask_login import current_user

from review_app.core.scope import current_scope

_EXTENSION = "page_cache"
Params = ParamSpec("Params")
MAX_BYTES = 64 * 1024 * 1024  # per worker


class PageCache:
    """Rendered pages by key, bounded in bytes and in age; safe across threads."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self._pages: TTLCache[tuple[Any, ...], bytes] = TTLCache(
            maxsize=MAX_BYTES, ttl=max(seconds, 1), getsizeof=len
        )
        self._lock = Lock()

    def get(self, key: tuple[Any, ...]) -> bytes | None:
        with self._lock:
            return self._pages.get(key)

    def put(self, key: tuple[Any, ...], body: bytes) -> None:
        if len(body) > MAX_BYTES // 8:
            return
        with self._lock:
            self._pages[key] = body

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def _page_key() -> tuple[Any, ...]:
    """Return what the page shows depends on, but for the session's CSRF secret."""
    return (
        request.full_path,
        g.site.id,
        g.site_version,  # read with the site, before anything on the page
        current_user.get_id(),
        current_user.is_system_admin,
        frozenset(g.site_roles.items()),
        current_scope(g.site),  # a limited person's local sites
    )


def _csrf_secret() -> str | None:
    return session.get(current_app.config["WTF_CSRF_FIELD_NAME"])


def cached_page(
    view: Callable[Params, ResponseReturnValue],
) -> Callable[Params, ResponseReturnValue]:
    """Serve the site page ``view`` renders from the cache while its key is unchanged."""

    @wraps(view)
    def serve(*args: Params.args, **kwargs: Params.kwargs) -> ResponseReturnValue:
        cache: PageCache = current_app.extensions[_EXTENSION]
        if not cache.seconds or request.method != "GET" or session.get("_flashes"):
            return view(*args, **kwargs)
        key = _page_key()
        body = cache.get((*key, _csrf_secret()))
        if body is None:
            answer = view(*args, **kwargs)
            if not isinstance(answer, str):
                return answer  # a redirect, an error status or a download: never kept
            body = answer.encode()  # kept encoded: a hit sends the bytes as they are
            # Rendering may have created the session's CSRF secret.
            cache.put((*key, _csrf_secret()), body)
        return Response(body, mimetype="text/html")

    return serve


def clear_pages(app: Flask) -> None:
    """Forget every kept page of ``app`` (tests)."""
    app.extensions[_EXTENSION].clear()


def init_page_cache(app: Flask) -> None:
    app.extensions[_EXTENSION] = PageCache(int(app.config["PAGE_CACHE_SECONDS"]))
