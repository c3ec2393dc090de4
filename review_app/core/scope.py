"""The part of a site a person's access reaches: the whole site, or some local sites.

A membership may be limited to regions and local sites (members/models.py). Every read
of a site's cases and interviews goes through ``in_scope``, which adds the scope of
whoever the work is done for:

- in a request, the signed-in person's (or the API token's person) on that site;
- in a background job, the scope of the person who started it (``acting_in``);
- elsewhere (the command line, the demo's seeding), the whole site.

Objects named in a URL are checked with ``Scope.covers``: outside the scope they
answer as if they did not exist. The members domain registers how a scope is read
(``SCOPE_LOADER``), so core imports no domain.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_request_context
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, false, true

SCOPE_LOADER = "scope_of"


@dataclass(frozen=True)
class Scope:
    """The local sites reached: ``None`` for all of the site's, else exactly these ids."""

    local_site_ids: frozenset[int] | None = None
    label: str = ""  # the regions and local sites named, e.g. "Northern region"

    @property
    def is_whole_site(self) -> bool:
        return self.local_site_ids is None

    def covers(self, local_site_id: int | None) -> bool:
        """Tell whether a row of this local site is inside the scope."""
        return self.local_site_ids is None or local_site_id in self.local_site_ids

    def contains(self, other: "Scope") -> bool:
        """Tell whether every local site ``other`` reaches is reached by this scope too."""
        if self.local_site_ids is None:
            return True
        return other.local_site_ids is not None and other.local_site_ids <= self.local_site_ids

    def condition(self, column: Any) -> ColumnElement[bool]:
        """Return the SQL condition that ``column`` (a local site id) is inside the scope."""
        if self.local_site_ids is None:
            return true()
        if not self.local_site_ids:
            return false()
        condition: ColumnElement[bool] = column.in_(sorted(self.local_site_ids))
        return condition


WHOLE_SITE = Scope()
_acting: ContextVar[Scope | None] = ContextVar("acting_scope", default=None)


def scope_of(user: Any, site: Any) -> Scope:
    """Return a person's scope on a site (kept for the rest of the request)."""
    site_id = site if isinstance(site, int) else site.id
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope(frozenset())
    key = (user.id, site_id)
    kept: dict[tuple[int, int], Scope] | None = g.get("scopes") if has_request_context() else None
    if kept is not None and key in kept:
        return kept[key]
    scope: Scope = current_app.extensions[SCOPE_LOADER](user.id, site_id)
    if has_request_context():
        g.setdefault("scopes", {})[key] = scope
    return scope


def actor_scope(actor: Any, site: Any) -> Scope:
    """Return the part of the site an operation's actor may change.

    No actor (the command line, the demo's seeding) and a system administrator reach
    the whole site; anyone else their membership's scope, also in a background job,
    where the job's starter is the actor.
    """
    if actor is None or actor.is_system_admin:
        return WHOLE_SITE
    return scope_of(actor, site)


def current_scope(site: Any) -> Scope:
    """Return the scope the current work runs in on ``site`` (see the module's text)."""
    acting = _acting.get()
    if acting is not None:
        return acting
    if has_request_context() and current_user.is_authenticated:
        return scope_of(current_user, site)
    return WHOLE_SITE


def in_scope(model: Any, site: Any) -> ColumnElement[bool]:
    """Return the condition that rows of ``model`` belong to ``site`` and the current scope.

    ``model`` has ``site_id`` and ``local_site_id`` columns (cases, interviews).
    """
    site_id = site if isinstance(site, int) else site.id
    return and_(model.site_id == site_id, current_scope(site_id).condition(model.local_site_id))


@contextmanager
def acting_in(scope: Scope) -> Iterator[None]:
    """Run the enclosed work (a background job) inside ``scope``."""
    token = _acting.set(scope)
    try:
        yield
    finally:
        _acting.reset(token)
