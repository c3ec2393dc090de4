"""The period's PDF made by the real worker (``flask worker``), on the embedded SQLite queue
and on Redis, as in production: the web app queues, a separate process does the work."""

import io
import os
import subprocess
import sys
import time

import pytest
from pypdf import PdfReader

from review_app.config import PROJECT_ROOT
from review_app.core.queue import init_queue
from review_app.extensions import db
from review_app.jobs import operations
from review_app.jobs.states import JobStatus
from tests import redisserver
from tests.conftest import dispose, login, make_app
from tests.jobs.conftest import job_id_of, start_url
from tests.reports.conftest import SITE, make_finalized

pytestmark = pytest.mark.real_commits
WAIT = 90  # seconds: far more than three cases take, on a busy machine


@pytest.fixture(params=["sqlite", "redis"])
def jobs_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jobs.db'}"
        return
    if not redisserver.available():
        pytest.skip("redis-server is not installed (Debian package redis-server; .ci/run adds it)")
    server = redisserver.start()
    yield server.url
    server.stop()


@pytest.fixture
def queued_app(demo, jobs_url, tmp_path):
    """An app on the demo whose tasks go on the real queue at ``jobs_url`` (not run at once)."""
    app = make_app(
        demo.config["SQLALCHEMY_DATABASE_URI"],
        JOBS_URL=jobs_url,
        JOBS_IMMEDIATE=False,
        JOBS_DIR=tmp_path / "results",
    )
    yield app
    dispose(app)
    init_queue(demo)  # the other tests' queue: in memory, run at once


def start_worker(app, kind: str = "thread", target: str = "review_app") -> subprocess.Popen:
    """Start ``flask worker`` on the app ``target`` names (a test's variant of it, or the app)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "JOBS_URL": app.config["JOBS_URL"],
        "JOBS_DIR": str(app.config["JOBS_DIR"]),
        "SECRET_KEY": "test-secret",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", target, "worker", "--kind", kind],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(worker: subprocess.Popen) -> str:
    worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return output


def worked_until_finished(
    app, client, state_url: str, target: str = "review_app"
) -> tuple[dict, str]:
    """Start a worker, wait until the job at ``state_url`` is finished, stop the worker.

    Return the job's last state and what the worker printed.
    """
    worker = start_worker(app, target=target)
    try:
        deadline = time.monotonic() + WAIT
        while (state := client.get(state_url).get_json())["finished"] is False:
            assert time.monotonic() < deadline, f"not done in {WAIT} s: {state}"
            time.sleep(0.3)
    finally:
        output = stop(worker)
    return state, output


def test_the_worker_makes_the_period_pdf_in_parts_and_joins_them(queued_app):
    make_finalized(queued_app, 3)
    client = queued_app.test_client()
    login(client, "qa")
    job_id = job_id_of(client.post(start_url(queued_app)))
    state_url = f"{SITE}/jobs/{job_id}/state"
    assert client.get(state_url).get_json()["status"] == JobStatus.QUEUED
    state, output = worked_until_finished(queued_app, client, state_url)
    assert state["progress"] == "3 of 3 cases", output
    assert state["download"], output
    download = client.get(state["download"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(download.data)).pages]
    starts = [n for n in ("FIN-1", "FIN-2", "FIN-3") for text in pages if f"\nCase {n}\n" in text]
    assert starts == ["FIN-1", "FIN-2", "FIN-3"]
    assert "Finalized cases\n3" in pages[0]


def test_a_job_cut_off_by_a_stopped_worker_is_failed_when_a_worker_starts_again(queued_app):
    """The job a worker of this machine was running when it died is failed, not left running."""
    client = queued_app.test_client()
    login(client, "qa")
    job_id = job_id_of(client.post(start_url(queued_app)))
    with queued_app.app_context():  # a worker took it, wrote a part, and was killed
        assert operations.begin(job_id, 1) is not None
        operations.job_folder(job_id, 1).joinpath("part-0001.pdf").write_bytes(b"%PDF-half")
        db.session.commit()
    worker = start_worker(queued_app)
    try:
        deadline = time.monotonic() + WAIT
        while not (state := client.get(f"{SITE}/jobs/{job_id}/state").get_json())["finished"]:
            assert time.monotonic() < deadline, f"not failed in {WAIT} s: {state}"
            time.sleep(0.3)
        time.sleep(1)  # its task, still queued, is taken and finds the job failed
    finally:
        output = stop(worker)
    assert state["status"] == JobStatus.FAILED, output
    assert state["message"] == operations.WORKER_STOPPED
    assert not list(queued_app.config["JOBS_DIR"].glob(f"{job_id}-*/*.pdf"))  # nothing half-made
    assert client.get(f"{SITE}/jobs/{job_id}/state").get_json()["status"] == JobStatus.FAILED
