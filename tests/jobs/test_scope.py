"""A job runs inside the scope its person has when it runs: access narrowed meanwhile
applies, and a job whose person has lost the access it needs fails, saying why."""

import pytest
from sqlalchemy import select

from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.jobs.states import JobStatus
from review_app.jobs.tasks import NO_ACCESS
from review_app.members.models import Membership
from review_app.members.operations import remove_access, set_roles
from review_app.members.scope_operations import set_scope
from review_app.reports.period_pdf import plan_period_pdf
from review_app.sites.models import LocalSite, Region
from review_app.sites.queries import site_by_slug
from tests.jobs.conftest import SITE, job_id_of, jobs, start_url
from tests.scoped import case_numbers, user


def _membership(username: str) -> Membership:
    site = site_by_slug("demo", "cqi")
    return db.session.scalar(
        select(Membership).where(
            Membership.site_id == site.id, Membership.user_id == user(username).id
        )
    )


def test_a_job_reads_the_scope_its_person_has_when_it_runs(demo, both_regions, clients, held):
    job_id = job_id_of(clients("qa_north").post(start_url(demo)))
    with demo.app_context():  # narrowed to Adams County while the job waits
        site = site_by_slug("demo", "cqi")
        adams = db.session.scalar(
            select(LocalSite).where(LocalSite.site_id == site.id, LocalSite.name == "Adams County")
        )
        set_scope(None, _membership("qa_north"), True, [], [adams])
        db.session.commit()
    assert held  # the job's first task was held on the queue
    with demo.app_context():  # the worker's run of it, on this test's database
        plan_period_pdf(job_id, 1)
    (job,) = jobs(demo)
    assert job.status == JobStatus.DONE
    assert set(job.params["case_numbers"]) == case_numbers(demo, ["Adams County"])


@pytest.mark.parametrize("lost", ["role", "membership"])
def test_a_job_whose_person_lost_access_fails_saying_why(demo, both_regions, clients, held, lost):
    client = clients("qa_north")
    job_id = job_id_of(client.post(start_url(demo)))
    with demo.app_context():
        membership = _membership("qa_north")
        if lost == "role":
            set_roles(None, membership, RoleSet(is_reviewer=True))
        else:
            remove_access(None, membership)
        db.session.commit()
    with demo.app_context():
        plan_period_pdf(job_id, 1)
    (job,) = jobs(demo)
    assert job.status == JobStatus.FAILED and job.message == NO_ACCESS
    assert "case_numbers" not in job.params
    if lost == "role":
        page = client.get(f"{SITE}/jobs/{job_id}").get_data(as_text=True)
        assert "no longer has the access it needs" in page


def test_a_file_made_for_a_wider_access_is_not_given_out_once_it_narrows(
    demo, both_regions, clients
):
    from tests.exports.test_source import _period_id

    client = clients("qa_north")
    started = client.post(f"{SITE}/exports/periods/{_period_id(demo)}/source.csv/prepare")
    download = started.location.rstrip("/") + "/download"
    assert client.get(download).status_code == 200
    with demo.app_context():  # narrowed to Adams County after the file was made
        site = site_by_slug("demo", "cqi")
        adams = db.session.scalar(
            select(LocalSite).where(LocalSite.site_id == site.id, LocalSite.name == "Adams County")
        )
        membership = _membership("qa_north")
        set_scope(None, membership, True, [], [adams])
        db.session.commit()
    refused = client.get(download, follow_redirects=True)
    assert "Your access on this site has narrowed since this file was made" in refused.get_data(
        as_text=True
    )
    assert refused.request.path.endswith(started.location.rstrip("/").rsplit("/", 1)[1])
    with demo.app_context():  # given the Northern region back: the file is theirs again
        site = site_by_slug("demo", "cqi")
        north = db.session.scalar(
            select(Region).where(Region.site_id == site.id, Region.code == "N")
        )
        set_scope(None, _membership("qa_north"), True, [north], [])
        db.session.commit()
    assert client.get(download).status_code == 200
