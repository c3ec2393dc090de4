"""A 5,000-row case sample imported by the job queue's worker, from the press to done.

    python -m bench.import_job [--rows 5000] [--workers 2]

Seeds one jurisdiction as bench/imports.py does, in a temporary SQLite database,
starts ``flask worker --kind process`` on the embedded SQLite queue, posts the
sample to the import page as the state administrator and follows the job as its
page does. Prints the time the page took to answer, to the first progress shown
(rows checked) and to done (every case committed), next to the target (5 s).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.imports import PASSWORD, _cases_csv, _seed
from bench.period_pdf import _app, _follow, _say, _worker
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.jobs.states import JobStatus

TARGET = 5.0


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    import io

    args = _arguments(argv)
    with tempfile.TemporaryDirectory(prefix="review-bench-import-job-") as name:
        folder = Path(name)
        app = _app(folder)
        _say("seeding one jurisdiction (SQLite)")
        ids = _seed(app)
        data = _cases_csv(args.rows)
        log = (folder / "worker.log").open("w")
        worker = _worker(app, args.workers, log)
        try:
            time.sleep(15)  # the consumer starts, and its idle processes poll at their slowest
            client = app.test_client()
            client.post("/login", data={"username": "bench-admin", "password": PASSWORD})
            _say(f"import {args.rows} rows, {args.workers} process workers")
            started = time.perf_counter()
            answer = client.post(
                "/bx/cqi/cases/import",
                data={"period_id": str(ids["period"]), "file": (io.BytesIO(data), "sample.csv")},
                content_type="multipart/form-data",
            )
            pressed = time.perf_counter() - started
            if answer.status_code != 303:
                raise RuntimeError(f"the import page answered {answer.status_code}")
            job_id = int(answer.location.rstrip("/").rsplit("/", 1)[1])
            seen = _follow(app, job_id, started)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            log.close()
        with app.app_context():
            added = db.session.scalar(
                select(func.count(Case.id)).where(Case.case_number.like("B-%"))
            )
        if seen["status"] != JobStatus.DONE:
            print((folder / "worker.log").read_text()[-3000:], file=sys.stderr)
    wall = float(seen["wall"])
    print(f"Case import through the job, {args.rows} rows, {args.workers} process workers (SQLite)")
    print(f"  the import page answered  {pressed:6.2f} s")
    print(f"  first progress (checked)  {float(seen.get('counted', 0)):6.2f} s")
    print(f"  done, every case committed{wall:6.2f} s   target <= {TARGET:.0f} s")
    print(f"  status {seen['status']}, {added} cases in the database")
    return 0 if seen["status"] == JobStatus.DONE and wall <= TARGET and added == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
