"""A job whose result is rows is marked done in the same transaction as the rows."""

import pytest
from sqlalchemy import select

from review_app.extensions import db
from review_app.jobs import operations
from review_app.jobs.models import Job
from review_app.jobs.states import JobStatus
from review_app.sites.models import LocalSite
from tests.jobs.conftest import job_id_of, jobs, start_url
from tests.reports.conftest import SITE


def _running(demo, clients) -> Job:
    job_id = job_id_of(clients("qa").post(start_url(demo)))
    (job,) = jobs(demo)
    with demo.app_context():
        assert operations.begin(job_id, job.attempt) is not None
        db.session.commit()
    return job


def _add_place(name: str) -> None:
    """A write of the task's own unit of work (any row will do)."""
    site_id = db.session.scalar(select(LocalSite.site_id))
    db.session.add(LocalSite(site_id=site_id, code="X-9", name=name))
    db.session.flush()


def test_done_lands_with_the_work_and_is_undone_with_it(demo, clients, held):
    job = _running(demo, clients)
    with demo.app_context():
        _add_place("Kept County")
        operations.finish_with_work(job.id, job.attempt, "1 place added.")
        db.session.rollback()  # the unit of work fails after: neither stands
        assert db.session.get(Job, job.id).status == JobStatus.RUNNING
        assert db.session.scalar(select(LocalSite).where(LocalSite.name == "Kept County")) is None
        _add_place("Kept County")
        operations.finish_with_work(job.id, job.attempt, "1 place added.")
        db.session.commit()
    (done,) = jobs(demo)
    assert (done.status, done.message, done.has_download) == (
        JobStatus.DONE, "1 place added.", False,
    )  # fmt: skip
    state = clients("qa").get(f"{SITE}/jobs/{job.id}/state").get_json()
    assert (state["message"], state["download"], state["problems"]) == ("1 place added.", "", 0)


def test_a_job_cancelled_meanwhile_keeps_none_of_the_work(demo, clients, held):
    job = _running(demo, clients)
    clients("qa").post(f"{SITE}/jobs/{job.id}/cancel")
    with demo.app_context():
        _add_place("Dropped County")
        with pytest.raises(operations.JobStopped):
            operations.finish_with_work(job.id, job.attempt, "1 place added.")
        db.session.commit()
        dropped = select(LocalSite).where(LocalSite.name == "Dropped County")
        assert db.session.scalar(dropped) is None
    assert jobs(demo)[0].status == JobStatus.CANCELLED
