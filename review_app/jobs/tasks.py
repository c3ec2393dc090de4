"""How job work runs on the queue: the job task wrapper, the cleanup, the worker's start.

``job_task`` declares a queued task of a job (called with the job's id and attempt
first). A task that finds its job cancelled stops quietly; one refused for a reason
in words (``JobFailure``, an operation's refusal) fails its job at once; any other
error is undone and retried by huey, and once its retries are used up the job is
marked failed with the reason in words.

Every task of a job runs in the scope of the person who started it (core/scope.py):
what it reads of the site's cases is what that person may read now, when it runs,
not when it was asked for. A person who has since lost the role the job needs (or
their account) gets a failed job, with the reason in words, and nothing is made.
"""

import functools
import socket
from collections.abc import Callable
from typing import Any

from huey import crontab

from review_app.accounts.models import User
from review_app.core.errors import OperationError
from review_app.core.queue import huey, periodic
from review_app.core.queue import task as queued_task
from review_app.core.roles import roles_of
from review_app.core.scope import Scope, acting_in, scope_of
from review_app.core.unit import undo
from review_app.core.worker import worker_starting
from review_app.extensions import db
from review_app.jobs import operations
from review_app.jobs.kinds import kind_of
from review_app.jobs.models import Job

NO_ACCESS = (
    "This job stopped: the person who started it no longer has the access it needs on "
    "this site. Nothing was made."
)
NOTHING = Scope(frozenset())


def job_task(retries: int = 2, retry_delay: int = 2) -> Callable[[Callable[..., Any]], Any]:
    """Declare a task of a job: ``function(job_id, attempt, *args)``."""

    def declare(function: Callable[..., Any]) -> Any:
        @functools.wraps(function)
        def run(job_id: int, attempt: int, *args: Any, task: Any = None) -> Any:
            try:
                with acting_in(_owner_scope(job_id)):
                    return function(job_id, attempt, *args)
            except operations.JobStopped:
                return None  # cancelled, failed or retried meanwhile: nothing more to do
            except (operations.JobFailure, OperationError) as refusal:
                # A reason that a retry cannot change (the upload is gone, the key was
                # published): the job fails at once instead of trying again twice.
                _failed(job_id, attempt, refusal)
                return None
            except Exception as error:
                # Immediate mode (tests) runs no retry; a worker's last retry has none left.
                if task is None or not task.retries or huey.immediate:
                    _failed(job_id, attempt, error)
                raise

        # context=True: huey passes the task, whose ``retries`` tell if this run is the last.
        return queued_task(context=True, retries=retries, retry_delay=retry_delay)(run)

    return declare


def _owner_scope(job_id: int) -> Scope:
    """Return the scope the job's person has on its site now; refuse if they lost access.

    Read afresh each time a task runs: access narrowed (or removed) meanwhile applies.
    """
    job = db.session.get(Job, job_id)
    if job is None:
        return NOTHING  # removed meanwhile: its task finds nothing to do
    user = db.session.get(User, job.user_id)
    if user is None or not user.is_active:
        raise operations.JobFailure(NO_ACCESS)
    if not roles_of(user, job.site_id).holds(*kind_of(job.kind).roles):
        raise operations.JobFailure(NO_ACCESS)
    scope = scope_of(user, job.site_id)
    # Only read: end this transaction, so the task's work starts its own as before
    # (after ``operations.begin`` committed the job running).
    db.session.rollback()
    return scope


def _failed(job_id: int, attempt: int, error: BaseException) -> None:
    """Undo the task's work and mark its job failed with the reason in words."""
    undo()
    if operations.fail(job_id, attempt, operations.reason_in_words(error)):
        db.session.commit()  # the owner's notice stands; the work is undone


@periodic(crontab(minute="*/30"))
def remove_expired_jobs() -> int:
    """Delete the jobs whose results have expired (their files too)."""
    return operations.delete_expired()


@worker_starting.connect
def _fail_cut_off_jobs(_sender: object, **_extra: Any) -> None:
    """A worker starting on this machine: jobs its earlier run was doing were cut off."""
    operations.fail_stale(socket.gethostname())
