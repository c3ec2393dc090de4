"""The PDF of a period's 200 finalized cases made by the job queue's worker processes.

    python -m bench.period_pdf [--cases 200] [--workers 2]

Seeds the demo (its CQI site with ``--cases`` finalized cases) in a temporary SQLite
database, starts ``flask worker --kind process`` on the embedded SQLite queue, presses
"Make the PDF" as the demo's state administrator and follows the job as its page does.
Prints the wall time, the time to the first progress shown (the cases counted) and to
the first case done, next to the targets (60 s wall, first progress within 1 s).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from review_app import create_app
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.config import PROJECT_ROOT
from review_app.core.unit import command_unit
from review_app.demo.operations import DEFAULT_PASSWORD, seed_demo
from review_app.extensions import db
from review_app.jobs.models import Job
from review_app.jobs.states import JobStatus

WALL_TARGET, FIRST_TARGET = 60.0, 1.0


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args(argv)


def _app(folder: Path):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "JOBS_URL": f"sqlite:///{folder / 'jobs.db'}",
            "JOBS_IMMEDIATE": False,
            "JOBS_DIR": folder / "results",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "PAGE_CACHE_SECONDS": 0,
        }
    )


def _seed(app, cases: int) -> int:
    """Seed the demo with ``cases`` finalized CQI cases; return the id of their period."""
    with app.app_context():
        upgrade()
        with command_unit():
            seed_demo(report_volume={"cqi": cases}, interviews_and_training=False)
        return (
            db.session.execute(
                select(Case.period_id)
                .where(Case.status == CaseStatus.FINALIZED)
                .group_by(Case.period_id)
                .order_by(func.count().desc())
            )
            .scalars()
            .first()
        )


def _worker(app, workers: int, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "JOBS_URL": app.config["JOBS_URL"],
        "JOBS_DIR": str(app.config["JOBS_DIR"]),
        "SECRET_KEY": "bench",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "review_app", "worker"]
        + ["--kind", "process", "--workers", str(workers)],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _follow(app, job_id: int, started: float) -> dict[str, float | int | str]:
    """Read the job as its page does until it finishes; return when each stage was seen."""
    seen: dict[str, float | int | str] = {}
    while True:
        with app.app_context():
            job = db.session.get(Job, job_id)
            now = time.perf_counter() - started
            if job.total and "counted" not in seen:
                seen["counted"] = now
            if job.done and "first case" not in seen:
                seen["first case"] = now
            if job.status in JobStatus.FINISHED:
                seen.update(wall=now, status=job.status.value, done=job.done, total=job.total)
                return seen
        time.sleep(0.05)


def _part_takers(log: str) -> dict[str, int]:
    """Count the parts each worker process ran, from the worker's log lines."""
    takers: dict[str, int] = {}
    for line in log.splitlines():
        if "Executing review_app.reports.period_pdf.period_pdf_part" in line:
            process = line.split(" worker ", 1)[1].split(" ", 1)[0]
            takers[process] = takers.get(process, 0) + 1
    return takers


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    with tempfile.TemporaryDirectory(prefix="review-bench-pdf-") as name:
        folder = Path(name)
        app = _app(folder)
        _say(f"seeding the demo with {args.cases} finalized cases (SQLite)")
        period_id = _seed(app, args.cases)
        log = (folder / "worker.log").open("w")
        worker = _worker(app, args.workers, log)
        try:
            time.sleep(15)  # the consumer starts, and its idle processes poll at their slowest
            client = app.test_client()
            client.post("/login", data={"username": "admin", "password": DEFAULT_PASSWORD})
            _say(f"Make the PDF, {args.workers} process workers")
            started = time.perf_counter()
            answer = client.post(f"/demo/cqi/reports/periods/{period_id}/finalized-pdf")
            pressed = time.perf_counter() - started
            job_id = int(answer.location.rstrip("/").rsplit("/", 1)[1])
            seen = _follow(app, job_id, started)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            log.close()
        takers = _part_takers((folder / "worker.log").read_text())
        with app.app_context():
            job = db.session.get(Job, job_id)
            size = (folder / "results" / (job.result_path or "none")).stat().st_size
    first = float(seen.get("counted", float("inf")))
    wall = float(seen["wall"])
    print(f"Period PDF, {seen['total']} finalized cases, {args.workers} process workers (SQLite)")
    print(f"  the press answered in     {pressed:6.2f} s")
    print(f"  first progress (counted)  {first:6.2f} s   target <= {FIRST_TARGET:.0f} s")
    print(f"  first case done           {float(seen.get('first case', 0)):6.2f} s")
    print(f"  wall, to the joined file  {wall:6.2f} s   target <= {WALL_TARGET:.0f} s")
    print(f"  status {seen['status']}, {seen['done']} of {seen['total']}, {size / 1e6:.1f} MB")
    print(f"  parts done per worker process: {takers}")
    return 0 if seen["status"] == JobStatus.DONE and wall <= WALL_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
