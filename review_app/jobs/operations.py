"""Every change to a job: started, cancelled, retried by its owner; run, counted, finished
or failed by the worker; removed when its result expires.

A person's changes go through the request's unit of work and are audited. The
worker's changes (progress, finished, failed) are single guarded UPDATE statements
committed at once in a transaction of their own, so the status page sees them while
the job runs, and two parts counting at once never lose a count.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Executable

from review_app.audit.operations import record
from review_app.core.errors import Conflict, OperationError
from review_app.core.models import utcnow
from review_app.core.scope import scope_of
from review_app.core.unit import after_commit, undo
from review_app.extensions import db
from review_app.jobs.kinds import kind_of
from review_app.jobs.models import REACH, Job
from review_app.jobs.signals import job_ended
from review_app.jobs.states import JobStatus

if TYPE_CHECKING:
    from review_app.accounts.models import User
    from review_app.sites.models import Site

WORKER_STOPPED = "The worker stopped while this job ran; start it again."
QUEUE_AWAY = (
    "The job could not be handed to the workers (their queue did not answer). "
    "Try again in a few minutes."
)
UNEXPECTED = (
    "Something unexpected stopped this job. Try again; if it fails again, tell your administrator."
)
CLEANUP = "scheduled cleanup"
NO_RETRY = "An import cannot be tried again: its file is not kept. Import the file again."


class JobStopped(Exception):
    """The job was cancelled, failed or retried meanwhile: this part stops quietly."""


class JobFailure(Exception):
    """A job cannot be done; ``message`` says why in words, shown on its page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def reason_in_words(error: BaseException) -> str:
    """Return why a job failed, as its page says it (never a traceback)."""
    if isinstance(error, (JobFailure, OperationError)):
        return error.message
    return UNEXPECTED


@dataclass(frozen=True)
class _Applied:
    rowcount: int  # rows the statement changed
    value: Any = None  # the first value it returned (RETURNING), if any


def _apply(statement: Executable) -> _Applied:
    """Run one statement and commit it at once, apart from the unit of work.

    In production ``db.engine`` is an Engine: a connection of its own. A test
    rolled back at its end binds the app to one connection: a savepoint there.
    """

    def run(connection: Connection) -> _Applied:
        result = connection.execute(statement)
        if result.returns_rows:
            return _Applied(1, result.scalar())  # read to the end before the commit
        return _Applied(result.rowcount)

    bind = db.engine
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            return run(connection)
    with bind.begin_nested():
        return run(bind)


def _guarded(job_id: int, attempt: int, *states: JobStatus) -> Any:
    return update(Job).where(
        Job.id == job_id, Job.attempt == attempt, Job.status.in_(states or JobStatus.ACTIVE)
    )


def job_folder(job_id: int, attempt: int) -> Path:
    """Return the folder of one attempt's files (made when asked for)."""
    folder = Path(current_app.config["JOBS_DIR"]) / f"{job_id}-{attempt}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_files(job_id: int) -> None:
    """Delete the files of every attempt of a job."""
    root = Path(current_app.config["JOBS_DIR"])
    for folder in root.glob(f"{job_id}-*"):
        shutil.rmtree(folder, ignore_errors=True)


def _keep_until() -> Any:
    return utcnow() + timedelta(days=current_app.config["JOBS_KEEP_DAYS"])


# -- What a person does ----------------------------------------------------------------


def reach_now(user: User, site_id: int) -> list[int] | None:
    """Return the local sites ``user`` reaches on the site, sorted (None: the whole site)."""
    ids = scope_of(user, site_id).local_site_ids
    return None if ids is None else sorted(ids)


def start_job(
    user: User, site: Site, kind: str, title: str, dedupe_key: str, params: dict[str, Any]
) -> Job:
    """Queue a job of ``kind`` for ``user`` on ``site``, or return the same one already going.

    The same job asked for twice while the first waits or runs (a double click, a
    second tab) is one job: the unique ``active_key`` refuses the second row, and the
    first is returned. The task is queued once the request commits.
    """
    job_kind = kind_of(kind)
    key = f"{site.id}:{user.id}:{dedupe_key}"
    going = db.session.scalar(select(Job).where(Job.active_key == key))
    if going is not None:
        return going
    job = Job(
        user_id=user.id,
        site_id=site.id,
        kind=kind,
        title=title[:300],
        params={**params, REACH: reach_now(user, site.id)},
        dedupe_key=key,
        active_key=key,
        unit=job_kind.unit,
    )
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:  # started by the other click between the look and the insert
        going = db.session.scalar(select(Job).where(Job.active_key == key))
        if going is None:
            raise
        return going
    record(user, "job.start", job, f"Started: {job.title}", site=site, after={"job": job.title})
    _queue(job)
    return job


def _queue(job: Job) -> None:
    task, job_id, attempt = kind_of(job.kind).first_task, job.id, job.attempt
    queue_after_commit(job_id, attempt, [lambda: task(job_id, attempt)])


def queue_after_commit(job_id: int, attempt: int, calls: list[Callable[[], object]]) -> None:
    """Put a job's tasks on the queue once this unit commits; fail the job if it is away.

    A task that queued its further tasks at once and then failed would have them
    queued again by its retry; queued after the commit, an undone try queues none.
    """

    def put_on_the_queue() -> None:
        try:
            for call in calls:
                call()
        except Exception:  # the queue's storage is away (Redis down, a locked file)
            current_app.logger.exception("Job %s could not be queued", job_id)
            fail(job_id, attempt, QUEUE_AWAY)

    after_commit(put_on_the_queue)


def cancel_job(user: User, job: Job) -> None:
    """Cancel a job that waits or runs; a running one stops at its next step."""
    changed = db.session.execute(
        _guarded(job.id, job.attempt).values(
            status=JobStatus.CANCELLED,
            active_key=None,
            finished_at=utcnow(),
            expires_at=_keep_until(),
            message="Cancelled by you.",
        )
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        raise Conflict("This job had already finished; there was nothing to cancel.")
    db.session.refresh(job)
    record(user, "job.cancel", job, f"Cancelled: {job.title}", site=job.site)


def retry_job(user: User, job: Job) -> None:
    """Queue a failed or cancelled job again, from the start, as a new attempt."""
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise Conflict("Only a job that failed or was cancelled can be tried again.")
    if not kind_of(job.kind).retry:
        raise Conflict(NO_RETRY)
    if db.session.scalar(select(Job.id).where(Job.active_key == job.dedupe_key)) is not None:
        raise Conflict("The same job is already waiting or running; follow that one instead.")
    try:
        with db.session.begin_nested():
            changed = db.session.execute(
                _guarded(job.id, job.attempt, JobStatus.FAILED, JobStatus.CANCELLED).values(
                    status=JobStatus.QUEUED,
                    active_key=job.dedupe_key,
                    params={**(job.params or {}), REACH: reach_now(user, job.site_id)},
                    attempt=Job.attempt + 1,
                    done=0,
                    total=0,
                    parts_left=0,
                    message=None,
                    result_path=None,
                    started_at=None,
                    finished_at=None,
                    expires_at=None,
                )
            )
    except IntegrityError:
        raise Conflict(
            "The same job is already waiting or running; follow that one instead."
        ) from None
    if not changed.rowcount:  # type: ignore[attr-defined]
        raise Conflict("This job changed meanwhile; look at it again.")
    db.session.refresh(job)
    record(user, "job.retry", job, f"Tried again: {job.title}", site=job.site)
    _queue(job)


# -- What the worker does --------------------------------------------------------------


def begin(job_id: int, attempt: int) -> Job | None:
    """Mark a queued job running; return it, or None when it was cancelled or retried.

    A job already running in this attempt is taken up again: its first task failed,
    its work was undone and the queue retries it (nothing else runs a first task twice
    in one attempt; a person's retry is a new attempt). Without this the retry would
    stop at once and leave the job running for ever.
    """
    changed = _apply(
        _guarded(job_id, attempt, JobStatus.QUEUED, JobStatus.RUNNING).values(
            status=JobStatus.RUNNING, started_at=utcnow(), worker_host=socket.gethostname()
        )
    )
    if not changed.rowcount:
        return None
    return db.session.get(Job, job_id, populate_existing=True)


def running(job_id: int, attempt: int) -> Job:
    """Return the job a part works for; raise JobStopped when it no longer runs."""
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None or job.attempt != attempt or job.status != JobStatus.RUNNING:
        raise JobStopped
    return job


def plan(
    job_id: int,
    attempt: int,
    total: int,
    parts: int,
    note: dict[str, Any] | None = None,
    unit: str | None = None,
) -> None:
    """Record how many units the job has, in how many parts, and ``note`` in its params.

    A ``unit`` names a new stage of the work ("rows checked"): its count starts at zero.
    """
    values: dict[str, Any] = {"total": total, "parts_left": parts}
    if unit is not None:
        values.update(unit=unit[:40], done=0)
    if note:
        params = db.session.scalar(select(Job.params).where(Job.id == job_id)) or {}
        values["params"] = {**params, **note}
    changed = _apply(_guarded(job_id, attempt, JobStatus.RUNNING).values(**values))
    if not changed.rowcount:
        raise JobStopped


def step(job_id: int, attempt: int, units: int = 1) -> None:
    """Count ``units`` more done (negative: take back); raise JobStopped if it was cancelled."""
    changed = _apply(_guarded(job_id, attempt, JobStatus.RUNNING).values(done=Job.done + units))
    if not changed.rowcount:
        raise JobStopped


@contextmanager
def counting(job_id: int, attempt: int) -> Iterator[Callable[[], None]]:
    """Yield a function that counts one unit done; if the block fails, take its counts back.

    A part that fails is retried from its start: without this its cases would count twice.
    """
    counted = 0

    def one() -> None:
        nonlocal counted
        step(job_id, attempt)
        counted += 1

    try:
        yield one
    except JobStopped:
        raise
    except BaseException:
        if counted:
            _apply(_guarded(job_id, attempt).values(done=Job.done - counted))
        raise


def _parts_left(job_id: int, attempt: int, change: int) -> int:
    left = _apply(
        _guarded(job_id, attempt, JobStatus.RUNNING)
        .values(parts_left=Job.parts_left + change)
        .returning(Job.parts_left)
    ).value
    if left is None:
        raise JobStopped
    return int(left)


def part_done(job_id: int, attempt: int) -> bool:
    """Count one part finished; return True for the last one, which finishes the job."""
    return _parts_left(job_id, attempt, -1) == 0


def part_undone(job_id: int, attempt: int) -> None:
    """Take back ``part_done`` (the last part failed to finish the job; it is retried)."""
    _parts_left(job_id, attempt, +1)


def finish(job_id: int, attempt: int, result_path: str, download_name: str) -> None:
    """Mark the job done with its file (relative to JOBS_DIR), kept JOBS_KEEP_DAYS days."""
    changed = _apply(
        _guarded(job_id, attempt, JobStatus.RUNNING).values(
            status=JobStatus.DONE,
            active_key=None,
            done=Job.total,
            result_path=result_path,
            download_name=download_name[:200],
            finished_at=utcnow(),
            expires_at=_keep_until(),
        )
    )
    if not changed.rowcount:
        raise JobStopped
    _ended(job_id, succeeded=True)


def finish_with_work(
    job_id: int, attempt: int, message: str, outcomes: list[tuple[str, str]] | None = None
) -> None:
    """Mark the job done, with ``message``, in the task's own unit of work.

    For work whose result is rows, not a file (an import): the job is marked done in
    the same transaction as the rows, so it is finished only if they land, and they
    land only with it. A job cancelled meanwhile keeps nothing: the work is undone.
    ``outcomes`` (what became of each row, in words) are kept for its page.
    """
    values: dict[str, Any] = dict(
        status=JobStatus.DONE,
        active_key=None,
        done=Job.total,
        message=message,
        finished_at=utcnow(),
        expires_at=_keep_until(),
    )
    if outcomes:
        params = db.session.scalar(select(Job.params).where(Job.id == job_id)) or {}
        values["params"] = {**params, "outcomes": [list(pair) for pair in outcomes]}
    changed = db.session.execute(_guarded(job_id, attempt, JobStatus.RUNNING).values(**values))
    if not changed.rowcount:  # type: ignore[attr-defined]
        undo()
        raise JobStopped
    _ended(job_id, succeeded=True)


def _ended(job_id: int, succeeded: bool) -> None:
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is not None:
        job_ended.send(job, succeeded=succeeded)


def fail(job_id: int, attempt: int, message: str, problems: list[str] | None = None) -> bool:
    """Mark the job failed with why, in words; its parts still queued stop. Return if it was.

    ``problems`` (an import's bad rows, one line each) are kept in its params for its page.
    """
    values: dict[str, Any] = {
        "status": JobStatus.FAILED,
        "active_key": None,
        "message": message,
        "finished_at": utcnow(),
        "expires_at": _keep_until(),
    }
    if problems:
        params = db.session.scalar(select(Job.params).where(Job.id == job_id)) or {}
        values["params"] = {**params, "problems": problems}
    changed = _apply(_guarded(job_id, attempt).values(**values))
    if changed.rowcount:
        remove_files(job_id)
        _ended(job_id, succeeded=False)
    return bool(changed.rowcount)


def fail_stale(host: str) -> int:
    """Mark failed the jobs a worker of ``host`` was running when it stopped; return how many.

    Called when a worker starts: no task of that machine runs yet, so any job still
    marked running there was cut off. Its files are removed; nothing half-made is kept.
    """
    stale = list(
        db.session.execute(
            select(Job.id, Job.attempt).where(
                Job.status == JobStatus.RUNNING, Job.worker_host == host
            )
        )
    )
    return sum(fail(job_id, attempt, WORKER_STOPPED) for job_id, attempt in stale)


def delete_expired() -> int:
    """Delete the jobs whose results have expired, and their files; audited. Return how many."""
    expired = list(
        db.session.scalars(
            select(Job).where(Job.expires_at <= utcnow(), Job.status.in_(JobStatus.FINISHED))
        )
    )
    for job in expired:
        record(
            None,
            "job.expire",
            job,
            f"Removed after {current_app.config['JOBS_KEEP_DAYS']} days: {job.title}",
            site=job.site,
            actor_name=CLEANUP,
        )
        remove_files(job.id)
        db.session.delete(job)
    db.session.flush()
    _remove_orphan_files()
    return len(expired)


def _remove_orphan_files() -> None:
    """Delete the files of jobs whose rows are gone (a jurisdiction removed, a restore)."""
    root = Path(current_app.config["JOBS_DIR"])
    folders = {
        int(folder.name.split("-", 1)[0]): folder
        for folder in root.glob("*-*")
        if folder.is_dir() and folder.name.split("-", 1)[0].isdigit()
    }
    if not folders:
        return
    kept = set(db.session.scalars(select(Job.id).where(Job.id.in_(folders))))
    for job_id, folder in folders.items():
        if job_id not in kept:
            shutil.rmtree(folder, ignore_errors=True)
