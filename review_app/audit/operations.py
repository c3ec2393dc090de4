"""Write audit entries; every operation in the app calls ``record``."""

from typing import Any

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.extensions import db
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
) -> AuditEntry:
    """Add an audit entry for a change to ``obj`` (a model, flushed so it has an id)."""
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
    )
    db.session.add(entry)
    return entry


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: _plain(value) for key, value in values.items()}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    return str(value)
