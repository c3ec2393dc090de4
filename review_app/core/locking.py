"""Hold an object's row for the rest of the transaction, so a check and its write agree.

A check made when a request starts ("is the case still in progress, is this
person still assigned?") can be stale by the time the request writes: another
request may have submitted the case in between. Every change that depends on
such a state first calls ``lock_row`` and checks again on the fresh values;
whoever comes second waits for the first to commit and then sees its result.
A change that carries the version the form saw (an edit number, a status
version) writes with ``update_if_unchanged`` instead: the check is in the write.
"""

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, inspect, select, update

from review_app.core.database import rowcount
from review_app.core.errors import Conflict
from review_app.extensions import db

M = TypeVar("M")
CHANGED_MEANWHILE = "Someone else changed this a moment ago; nothing was done. Look at it again."


def lock_row(obj: M, shared: bool = False) -> M:
    """Lock ``obj``'s row until commit or rollback and reload it (relationships included).

    PostgreSQL takes a row lock (``SELECT ... FOR UPDATE``). SQLite has no row
    locks; a no-op write takes the database's write lock instead, which also
    makes every later read of this transaction see the latest commit.
    Pending changes are flushed first so that the reload keeps them. ``shared``
    lets other ``shared`` holders in (PostgreSQL ``FOR SHARE``): for a row that
    is only read, such as the period a save depends on.
    """
    db.session.flush()
    mapper = inspect(obj).mapper
    key = mapper.primary_key[0]
    ident = mapper.primary_key_from_instance(obj)[0]
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(mapper.local_table).where(key == ident).values({key.name: key}),
            execution_options={"synchronize_session": False},
        )
    else:
        db.session.execute(select(key).where(key == ident).with_for_update(read=shared))
    # Reload after the lock: the values read before it may be another request's past.
    db.session.expire(obj)
    db.session.refresh(obj)
    return obj


def update_if_unchanged(
    obj: object,
    *unchanged: ColumnElement[bool],
    values: dict[str, Any],
    refused: str = CHANGED_MEANWHILE,
) -> None:
    """Write ``values`` to ``obj``'s row only while the ``unchanged`` conditions hold.

    One guarded ``UPDATE ... WHERE id = :id AND <unchanged>`` (an edit number or a
    status that must be as the form saw it): check and write are one statement, and
    its row count tells whether someone changed the row in between. ``obj`` is
    reloaded either way; raise ``Conflict(refused)`` when no row matched.
    """
    db.session.flush()
    mapper = inspect(obj).mapper
    key = mapper.primary_key[0]
    ident = mapper.primary_key_from_instance(obj)[0]
    written = rowcount(
        db.session.execute(
            update(mapper.class_)
            .where(key == ident, *unchanged)
            .values(values)
            .execution_options(synchronize_session=False)
        )
    )
    db.session.refresh(obj)
    if written != 1:
        raise Conflict(refused)
