"""One unit of work per request: what a request changes is committed once, at its end.

As in indico's request handler (``RH.process``), views and operations never
commit or roll back; this module does, for every request:

- An operation refuses a change by raising one of the errors of
  ``core/errors.py``. The change is undone at once (``undo``), before anything is
  shown, so the page reads the data as it stands. ``answer_status`` is the one
  mapping of those errors to answers: field errors 422 (the form again, each
  error at its field), a conflict 409 (both versions). A view that shows the
  refusal itself catches it with ``core.views.attempt``; one that does not is
  answered by ``refused`` (the message, back on the page the form came from).
- After the answer is made and before it is sent (``finish``), a request that
  wrote is committed; the audit chain is sealed by that commit. An answer of
  400 or more commits nothing (a form shown again with its errors, a refused
  import) unless the view asked for its writes to stand (``keep_writes``: a
  failed sign-in's count). A request that wrote nothing commits nothing.
- A commit can fail (two requests claimed the same thing, a serialization or
  lock failure, the database went away): the answer becomes the 409 page or the
  503 page, and the messages the request flashed ("Saved.") are taken back, so
  nobody is told of a write that did not land.

Commands are not requests; they commit with ``command_unit``.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app, flash, g, redirect, request, session
from flask.signals import message_flashed
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from werkzeug.wrappers import Response as BaseResponse

from review_app.core.errors import Conflict, OperationError
from review_app.core.outage import is_outage, unavailable
from review_app.extensions import db

_WROTE = "unit_wrote"
_AFTER_COMMIT = "unit_after_commit"
# The drafts domain (above core) registers here how a refused form's text is kept:
# a callable taking the message to show with it and returning the form's page.
KEEP_REFUSED_FORM = "keep_refused_form"
# PostgreSQL: serialization failure, deadlock, lock not available: someone else won; retry.
_LOST_RACE = {"40001", "40P01", "55P03"}


def answer_status(error: OperationError) -> int:
    """Return the status a refusal is answered with: 409 for a conflict, else 422."""
    return 409 if isinstance(error, Conflict) else 422


def _wrote(session: Session, *_args: object) -> None:
    session.info[_WROTE] = True


def _wrote_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _count_flash(_app: Flask, **_extra: object) -> None:
    g.unit_flashed = g.get("unit_flashed", 0) + 1


def undo() -> None:
    """Roll back what the request wrote so far (a refused change); later writes still count.

    Tasks it asked to queue after the commit go with it, even when nothing had been
    written yet (a rollback with no transaction begun tells no listener).
    """
    db.session.rollback()
    db.session.info.pop(_WROTE, None)
    db.session.info.pop(_AFTER_COMMIT, None)


def after_commit(callback: Callable[[], object]) -> None:
    """Call ``callback`` once this unit of work has committed; never if it is undone.

    A task put on the job queue before the commit could run before the rows it
    reads exist: operations queue their tasks with this instead. A callback that
    fails is logged, not raised: the change it followed has landed.
    """
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        try:
            callback()
        except Exception:  # the commit stands; the caller's recovery (a retry) takes over
            logging.getLogger(__name__).exception("An after-commit step failed")


def _drop_after_commit(session: Session, previous_transaction: SessionTransaction) -> None:
    # Any rollback of the whole unit (a savepoint's, inside it, keeps them): also when
    # the session works inside an outer transaction, as the tests' sessions do.
    if previous_transaction.parent is None:
        session.info.pop(_AFTER_COMMIT, None)


def keep_writes() -> None:
    """Commit this request's writes although it answers with an error (a failed sign-in)."""
    g.unit_keep_writes = True


def _take_back_flashes() -> None:
    """Remove the messages this request flashed: they spoke of a change that was not saved."""
    count = g.pop("unit_flashed", 0)
    if count and session.get("_flashes"):
        session["_flashes"] = session["_flashes"][:-count]


def _lost_race(error: BaseException) -> bool:
    code = getattr(getattr(error, "orig", None), "pgcode", None) or getattr(
        getattr(error, "orig", None), "sqlstate", None
    )
    return isinstance(error, IntegrityError) or code in _LOST_RACE


def finish(response: BaseResponse) -> BaseResponse:
    """Commit what the request wrote, or answer the 409 or 503 page when the commit fails."""
    current = db.session()
    if not (current.info.get(_WROTE) or current.new or current.deleted or current.dirty):
        return response  # read only: nothing to commit
    if response.status_code >= 400 and not g.get("unit_keep_writes"):
        undo()
        return response
    current.expire_on_commit = False  # a streamed download still reads what it loaded
    try:
        current.commit()
    except DBAPIError as error:
        _take_back_flashes()
        current_app.logger.warning("Commit failed: %s %s: %s", request.method, request.path, error)
        if _lost_race(error):
            from review_app.core.errorpages import conflict_answer  # it renders pages: loaded late

            undo()
            return conflict_answer()
        if is_outage(error):
            return unavailable()  # rolls back and drops the session; its connection may be dead
        raise
    finally:
        current.expire_on_commit = True
    current.info.pop(_WROTE, None)
    return response


@contextmanager
def command_unit() -> Iterator[None]:
    """A command's one unit of work: committed when the block ends, undone if it raises.

    Commands are not requests, but the rule is the same: an operation's refusal
    undoes the change and becomes the command's error message.
    """
    try:
        yield
    except OperationError as error:
        undo()
        raise click.ClickException(error.message) from None
    except BaseException:
        undo()
        raise
    db.session.commit()


def refused(error: OperationError) -> BaseResponse:
    """Answer a refusal no view caught: undone, and its message shown where the form was."""
    undo()
    from review_app.core.errorpages import API_ROOT, error_answer  # renders pages: loaded late

    if request.path.startswith(API_ROOT):
        return error_answer(answer_status(error), error.message)
    flash(error.message, "error")
    keep = current_app.extensions.get(KEEP_REFUSED_FORM)
    back = keep("Nothing was saved; what you wrote is back in the form.") if keep else None
    return redirect(back or request.path, 303)


def init_unit_of_work(app: Flask) -> None:
    """Note every write of a request's session, commit at the end, answer refusals."""
    if not event.contains(Session, "after_flush", _wrote):  # once, for every app
        event.listen(Session, "after_flush", _wrote)
        event.listen(Session, "do_orm_execute", _wrote_statement)
        event.listen(Session, "after_commit", _run_after_commit)
        event.listen(Session, "after_soft_rollback", _drop_after_commit)
    message_flashed.connect(_count_flash, app)
    app.register_error_handler(OperationError, refused)
    app.after_request(finish)  # registered last: runs before the other after-request hooks
