"""``flask worker``: run the job queue's consumer beside the web server.

Several workers may run on several machines against one Redis queue (``JOBS_URL``);
on the embedded SQLite queue, run them on the machine that holds its file.
"""

import logging

import click
from blinker import Namespace
from flask import current_app
from flask.cli import with_appcontext

from review_app.core.queue import huey
from review_app.core.unit import command_unit
from review_app.extensions import db

# Sent with the app (as sender) when a worker starts, before it takes a task: the jobs
# domain marks failed the jobs this machine's previous worker was cut off in.
worker_starting = Namespace().signal("worker-starting")
IDLE_POLL_SECONDS = 0.5


@huey.on_startup()  # type: ignore[untyped-decorator]
def _own_connections() -> None:
    """A forked worker process opens database connections of its own, never its parent's."""
    from review_app.core.queue import _worker_app

    if _worker_app is not None:
        with _worker_app.app_context():
            db.engine.dispose(close=False)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Tasks run at the same time.")
@click.option(
    "--kind",
    type=click.Choice(["process", "thread"]),
    default="process",
    show_default=True,
    help="Processes use every core (PDFs); threads start faster.",
)
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Run the daily tasks' scheduler here; one worker in the installation is enough.",
)
@with_appcontext
def worker(workers: int, kind: str, periodic: bool) -> None:
    """Take tasks from the job queue and run them until stopped (Ctrl+C)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s worker %(processName)s %(threadName)s %(message)s"
    )
    click.echo(f"Job queue: {current_app.config['JOBS_URL']} ({workers} {kind} workers)")
    with command_unit():
        worker_starting.send(current_app._get_current_object())  # type: ignore[attr-defined]
    # An idle worker looks at the queue at least twice a second (huey's default backs off
    # to 10 s), so a job started after a quiet hour still shows progress within a second.
    consumer = huey.create_consumer(
        workers=workers,
        worker_type=kind,
        periodic=periodic,
        check_worker_health=True,
        initial_delay=0.1,
        backoff=1.15,
        max_delay=IDLE_POLL_SECONDS,
    )
    consumer.run()
