"""Write audit entries; every operation in the app calls ``record``, every read of case data
leaving the site (a download, an API read) calls ``record_read``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from review_app.audit.chain import mark_unsealed
from review_app.audit.models import AuditEntry
from review_app.extensions import db

if TYPE_CHECKING:
    from review_app.accounts.models import User
    from review_app.sites.models import Site

COMMAND_LINE = "command line"
ANONYMOUS = "anonymous"


def record(
    actor: User | None,
    action: str,
    obj: Any,
    summary: str,
    *,
    site: Site | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_name: str | None = None,
    is_read_event: bool = False,
) -> AuditEntry:
    """Add an audit entry for a change to ``obj`` (a model, flushed so it has an id).

    The entry is linked onto its site's hash chain when the transaction commits.
    """
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        actor_name=actor_name or (actor.username if actor else COMMAND_LINE),
        site_id=site.id if site else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        summary=summary[:300],
        before=_jsonable(before),
        after=_jsonable(after),
        is_read_event=is_read_event,
    )
    db.session.add(entry)
    mark_unsealed(db.session(), entry)
    return entry


def record_read(
    actor: User | None,
    action: str,
    obj: Any,
    summary: str,
    *,
    site: Site,
    details: dict[str, Any],
) -> AuditEntry:
    """Add an audit entry for case data that left the site: who read what, with which filters.

    ``details`` (period, filters, format, case numbers ...) are kept as the entry's
    ``after``. A read changes nothing, so it does not move the site's version.
    """
    return record(actor, action, obj, summary, site=site, after=details, is_read_event=True)


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: _plain(value) for key, value in values.items()}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)
