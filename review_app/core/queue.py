"""The job queue: huey, on an SQLite file by default and on Redis in production.

Work that takes longer than a request should (a period's PDF, a large import, mail,
the nightly reminders) is a task declared with :func:`task`. The web app puts the
task on the queue; a worker (``flask worker``, started by ``make run``) takes it,
runs it inside the application's context as one unit of work, and commits.

``JOBS_URL`` chooses the queue's storage: ``sqlite:///path`` (the embedded default,
no server; one machine), ``redis://host:port/db`` (several workers on several
machines), or ``memory://`` (tests that run tasks at once, in the same process).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from review_app.core.unit import command_unit

NAME = "review-app"
F = TypeVar("F", bound=Callable[..., Any])

# One queue per process, bound to the application's storage by init_queue. Results are
# not kept by huey: a job's state and result live in the database (review_app/jobs).
huey = Huey(NAME, results=False, storage_class=MemoryStorage)
_worker_app: Flask | None = None


def storage_for(url: str) -> Any:
    """The huey storage a ``JOBS_URL`` names; raise ValueError for an unknown kind."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteStorage(NAME, filename=str(path))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage(NAME, url=url)
    if url == "memory://":
        return MemoryStorage(NAME)
    raise ValueError(f"JOBS_URL must start with sqlite:///, redis:// or memory://, not {url!r}")


def init_queue(app: Flask) -> None:
    """Bind the queue to the app's ``JOBS_URL``; with ``JOBS_IMMEDIATE`` tasks run at once."""
    global _worker_app
    # huey makes new storage when ``immediate`` changes: set it first, then the storage.
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    huey.storage = (
        huey.get_immediate_storage() if huey.immediate else storage_for(app.config["JOBS_URL"])
    )
    _worker_app = app
    app.extensions["queue"] = huey


def _in_app(function: F) -> Callable[..., Any]:
    """``function`` run in the application's context (the request's, or the worker's) as
    one unit of work: committed when it returns, undone if it raises."""

    @functools.wraps(function)
    def in_app(*args: Any, **kwargs: Any) -> Any:
        app: Flask | None = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
        app = app or _worker_app
        if app is None:
            raise RuntimeError("The queue has no application: call init_queue first.")
        with app.app_context(), command_unit():
            return function(*args, **kwargs)

    return in_app


def task(**options: Any) -> Callable[[F], Any]:
    """Declare a queued task that runs in the application's context and commits once.

    ``options`` go to huey (``retries``, ``retry_delay``, ``priority``...). A task
    that raises is undone; huey retries it while it has retries left.
    """
    return lambda function: huey.task(**options)(_in_app(function))


def periodic(schedule: Callable[..., bool], **options: Any) -> Callable[[F], Any]:
    """Declare a task the worker's scheduler runs on ``schedule`` (huey's ``crontab``)."""
    return lambda function: huey.periodic_task(schedule, **options)(_in_app(function))
