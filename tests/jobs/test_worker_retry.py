"""A job's task that fails once is retried by the real worker (``flask worker``) and ends done,
its work applied once: the failed try is undone, and the retry takes up the job it left running.

On the embedded SQLite queue only (a retry waits in huey's schedule, which Redis keeps the
same way); the delay is cut to one second to keep the test short.
"""

import pytest
from sqlalchemy import func, select

from review_app.audit.models import AuditEntry
from review_app.cases.import_job import run_case_import
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.jobs.models import Job
from tests.cases.test_import_worker import start_import
from tests.jobs.fail_once import FAILURE
from tests.jobs.test_worker import queued_app, worked_until_finished  # noqa: F401

pytestmark = pytest.mark.real_commits
ROWS = 12


@pytest.fixture
def jobs_url(tmp_path):
    """The queue of ``queued_app``: the SQLite file only."""
    return f"sqlite:///{tmp_path / 'jobs.db'}"


def test_a_task_that_fails_once_is_retried_and_applies_its_rows_once(
    queued_app,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(run_case_import.task_class, "default_retry_delay", 1)
    client, started = start_import(queued_app, ROWS, "retry.csv")
    state, output = worked_until_finished(
        queued_app, client, started.location + "/state", target="tests.jobs.fail_once:create_app"
    )
    assert FAILURE in output and "Requeueing" in output, output[-3000:]  # it failed, then retried
    assert state["status"] == "done", (state, output[-3000:])
    assert state["message"].startswith(f"{ROWS} case(s) imported into")
    assert state["progress"] == f"{ROWS} of {ROWS} rows checked"
    with queued_app.app_context():
        added = select(func.count(Case.id)).where(Case.case_number.like("J-%"))
        assert db.session.scalar(added) == ROWS  # not twice: the first try's rows were undone
        entries = select(func.count(AuditEntry.id)).where(AuditEntry.action == "case.import")
        assert db.session.scalar(entries) == 1
        [job] = db.session.scalars(select(Job).where(Job.kind == "case_import"))
        assert (job.attempt, job.active_key) == (1, None)  # huey's retry, not the person's
