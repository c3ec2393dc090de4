"""Jobs seen by the person who started them: start once, follow, cancel, try again, download."""

import io
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.core.models import utcnow
from review_app.core.roles import RoleSet
from review_app.core.unit import undo
from review_app.extensions import db
from review_app.jobs import operations, tasks
from review_app.jobs.models import Job
from review_app.jobs.states import JobStatus
from review_app.members.operations import membership_of, set_roles
from review_app.reports import period_pdf
from review_app.sites.queries import site_by_slug
from tests.jobs.conftest import job_id_of, jobs, start_url
from tests.reports.conftest import SITE


def test_a_double_click_makes_one_job(clients, demo, held):
    client = clients("qa")
    first = job_id_of(client.post(start_url(demo)))
    second = job_id_of(client.post(start_url(demo)))
    assert first == second
    assert [job.status for job in jobs(demo)] == [JobStatus.QUEUED]
    assert len(held) == 1  # queued once
    # Another person's press is their own job.
    assert job_id_of(clients("admin").post(start_url(demo))) != first


def test_the_database_refuses_a_second_active_job_of_the_same_key(demo):
    """The unique key holds even for writes that skip the look before the insert."""
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        qa = db.session.scalar(select(User).where(User.username == "qa"))

        def job(key: str | None) -> Job:
            return Job(
                user_id=qa.id, site_id=site.id, kind="period_pdf", title="A PDF", params={},
                dedupe_key="same", active_key=key,
            )  # fmt: skip

        db.session.add_all([job(None), job(None)])  # finished ones: any number
        db.session.flush()
        db.session.add_all([job("same"), job("same")])
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_the_job_page_shows_progress_and_the_download(clients, demo, finalized):
    finalized(2)
    client = clients("qa")
    job_id = job_id_of(client.post(start_url(demo)))
    page = client.get(f"{SITE}/jobs/{job_id}").get_data(as_text=True)
    assert "PDF of the finalized cases of" in page
    assert "2 of 2 cases" in page and '<progress id="job-progress" max="2" value="2">' in page
    assert "Done" in page and "File kept until" in page
    assert 'aria-live="polite"' in page
    state = client.get(f"{SITE}/jobs/{job_id}/state").get_json()
    assert state["status"] == JobStatus.DONE and state["progress"] == "2 of 2 cases"
    assert state["finished"] and state["download"].endswith("/download")
    download = client.get(state["download"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(download.data)).pages) >= 3
    listing = client.get(f"{SITE}/jobs").get_data(as_text=True)
    assert f'href="{SITE}/jobs/{job_id}"' in listing and "2 of 2 cases" in listing
    with demo.app_context():
        (read,) = db.session.scalars(select(AuditEntry).where(AuditEntry.is_read_event))
        assert read.action == "download.period_summaries" and read.object_type == "Job"
        assert read.after["case_numbers"] == ["FIN-1", "FIN-2"]


def test_a_waiting_job_shows_refresh_without_script(clients, demo, held):
    client = clients("qa")
    job_id = job_id_of(client.post(start_url(demo)))
    page = client.get(f"{SITE}/jobs/{job_id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert ">Refresh</a>" in page and "Waiting to start" in page
    assert "Cancel the job" in page


def test_only_the_person_who_started_a_job_sees_it_and_never_from_another_site(clients, demo, held):
    job_id = job_id_of(clients("qa").post(start_url(demo)))
    for who in ("admin", "observer", "qa2"):
        client = clients(who)
        for path in ("", "/state", "/download"):
            assert client.get(f"{SITE}/jobs/{job_id}{path}").status_code in (403, 404), who
        assert client.post(f"{SITE}/jobs/{job_id}/cancel").status_code in (403, 404)
    # Its owner, on another site of the same state: not found.
    assert clients("qa").get(f"/demo/cfsr/jobs/{job_id}").status_code == 404
    assert [job.status for job in jobs(demo)] == [JobStatus.QUEUED]


def test_cancel_stops_a_waiting_job_and_a_running_one_at_its_next_step(clients, demo, held):
    client = clients("qa")
    job_id = job_id_of(client.post(start_url(demo)))
    answer = client.post(f"{SITE}/jobs/{job_id}/cancel", follow_redirects=True)
    assert "The job is cancelled." in answer.get_data(as_text=True)
    (job,) = jobs(demo)
    assert job.status == JobStatus.CANCELLED and job.expires_at is not None
    # Its task, taken from the queue later, does nothing.
    with demo.app_context():
        assert operations.begin(job.id, job.attempt) is None
    # Cancelled again: said, nothing changes.
    again = client.post(f"{SITE}/jobs/{job_id}/cancel", follow_redirects=True)
    assert "already finished" in again.get_data(as_text=True)
    # A running job stops at its next step.
    client.post(f"{SITE}/jobs/{job_id}/retry")
    (job,) = jobs(demo)
    with demo.app_context():
        assert operations.begin(job.id, job.attempt) is not None
        operations.step(job.id, job.attempt)
    client.post(f"{SITE}/jobs/{job_id}/cancel")
    with demo.app_context():
        try:
            operations.step(job.id, job.attempt)
            raise AssertionError("the step should have stopped")
        except operations.JobStopped:
            pass


def test_the_queues_retry_of_a_first_task_takes_up_the_job_its_failed_try_left_running(
    clients, demo, held
):
    """huey retries a first task whose try was undone: the job, marked running by that try
    apart from its undone work, is taken up again; one of an earlier attempt is not."""
    job_id = job_id_of(clients("qa").post(start_url(demo)))
    with demo.app_context():
        assert operations.begin(job_id, 1) is not None  # the first try, which then failed
        assert operations.begin(job_id, 1) is not None  # the retry takes it up
        assert operations.begin(job_id, 2) is None  # no such attempt
        assert operations.fail(job_id, 1, "Stopped.")
        db.session.commit()  # as the task's wrapper does (its owner's notice)
        assert operations.begin(job_id, 1) is None  # failed meanwhile: the retry stops
    (job,) = jobs(demo)
    assert job.status == JobStatus.FAILED


def test_a_failing_task_says_why_and_can_be_tried_again(clients, demo, finalized, monkeypatch):
    finalized(1)
    from review_app.core.pdf import PdfError

    def broken(*args, **kwargs):
        raise PdfError("the PDF could not be made (1 error(s))")

    monkeypatch.setattr(period_pdf, "render_pdf", broken)
    client = clients("qa")
    job_id = job_id_of(client.post(start_url(demo)))
    page = client.get(f"{SITE}/jobs/{job_id}").get_data(as_text=True)
    assert "Failed" in page
    assert "A page of the PDF could not be made; nothing was kept." in page
    assert "Try again" in page and '<p data-show="download" hidden>' in page
    (job,) = jobs(demo)
    assert job.status == JobStatus.FAILED and job.done == 0  # its counts were taken back
    monkeypatch.undo()
    answer = client.post(f"{SITE}/jobs/{job_id}/retry", follow_redirects=True)
    assert "1 of 1 cases" in answer.get_data(as_text=True)
    (job,) = jobs(demo)
    assert (job.status, job.attempt) == (JobStatus.DONE, 2)


def test_an_unexpected_error_is_told_in_plain_words(clients, demo, finalized, monkeypatch):
    finalized(1)
    monkeypatch.setattr(period_pdf.queries, "summaries", lambda *args: 1 / 0)
    job_id = job_id_of(clients("qa").post(start_url(demo)))
    page = clients("qa").get(f"{SITE}/jobs/{job_id}").get_data(as_text=True)
    assert operations.UNEXPECTED in page.replace("&#39;", "'")
    assert "ZeroDivision" not in page and "Traceback" not in page


def test_a_person_whose_role_no_longer_allows_a_job_cannot_retry_it_or_take_its_file(
    clients, demo, finalized
):
    """Try again and download follow the rule of the page that started the job."""
    finalized(1)
    client = clients("qa")
    job_id = job_id_of(client.post(start_url(demo)))
    assert client.get(f"{SITE}/jobs/{job_id}/download").status_code == 200
    with demo.app_context():
        qa = db.session.scalar(select(User).where(User.username == "qa"))
        membership = membership_of(qa, site_by_slug("demo", "cqi"))
        set_roles(None, membership, RoleSet(is_reviewer=True))
        db.session.commit()
    assert client.get(f"{SITE}/jobs/{job_id}/download").status_code == 403
    assert client.post(f"{SITE}/jobs/{job_id}/retry").status_code == 403
    assert client.get(f"{SITE}/jobs/{job_id}").status_code == 200  # still theirs to see


def test_expired_results_are_removed_with_their_files_and_audited(clients, demo, finalized):
    finalized(1)
    client = clients("qa")
    job_id = job_id_of(client.post(start_url(demo)))
    folder = Path(demo.config["JOBS_DIR"])
    assert list(folder.glob(f"{job_id}-*/result.pdf"))
    with demo.app_context():
        assert operations.delete_expired() == 0  # kept for JOBS_KEEP_DAYS
        job = db.session.get(Job, job_id)
        job.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    # Past its date, before the cleanup ran: the page says it is gone.
    answer = client.get(f"{SITE}/jobs/{job_id}/download", follow_redirects=True)
    assert "has expired" in answer.get_data(as_text=True)
    with demo.app_context():
        assert operations.delete_expired() == 1
        db.session.commit()
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "job.expire"))
        assert entry.actor_name == operations.CLEANUP and entry.object_id == job_id
    assert not list(folder.glob(f"{job_id}-*"))
    assert jobs(demo) == []
    # Files of a job whose row is gone (its jurisdiction removed) go with the next cleanup.
    (folder / "987654-1").mkdir()
    (folder / "987654-1" / "result.pdf").write_bytes(b"%PDF")
    with demo.app_context():
        operations.delete_expired()
    assert not (folder / "987654-1").exists()
    assert client.get(f"{SITE}/jobs/{job_id}").status_code == 404


def test_jobs_a_stopped_worker_was_running_are_marked_failed_on_its_restart(clients, demo, held):
    job_id = job_id_of(clients("qa").post(start_url(demo)))
    (job,) = jobs(demo)
    with demo.app_context():
        operations.begin(job.id, job.attempt)
        assert operations.fail_stale("another-machine") == 0
        import socket

        assert operations.fail_stale(socket.gethostname()) == 1
        db.session.commit()
    (job,) = jobs(demo)
    assert job.status == JobStatus.FAILED and job.message == operations.WORKER_STOPPED
    page = clients("qa").get(f"{SITE}/jobs/{job_id}").get_data(as_text=True)
    assert "start it again" in page and "Try again" in page


def _notices_of(app, username: str) -> list[str]:
    from review_app.notices.models import Notice

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return list(
            db.session.scalars(
                select(Notice.message).where(Notice.recipient_id == user.id).order_by(Notice.id)
            )
        )


def test_the_person_who_started_a_job_is_told_when_it_finishes_or_fails(
    clients, demo, finalized, monkeypatch
):
    finalized(1)
    before = _notices_of(demo, "qa")
    job_id_of(clients("qa").post(start_url(demo)))
    (done,) = _notices_of(demo, "qa")[len(before) :]
    assert done.startswith("PDF of the finalized cases of") and done.endswith("ready to download.")
    from review_app.core.pdf import PdfError

    def broken(*args, **kwargs):
        raise PdfError("the PDF could not be made (1 error(s))")

    monkeypatch.setattr(period_pdf, "render_pdf", broken)
    job_id_of(clients("admin").post(start_url(demo)))
    (failed,) = _notices_of(demo, "admin")[-1:]
    assert failed.endswith("failed; its page says why.")
    page = clients("admin").get(f"{SITE}/notifications").get_data(as_text=True)
    assert "failed; its page says why." in page


def test_a_job_the_queue_cannot_take_says_so_instead_of_waiting_for_ever(
    clients, demo, monkeypatch
):
    import dataclasses

    from review_app.jobs import kinds

    def queue_away(*args):
        raise ConnectionError("Error 111 connecting to the queue")

    kind = kinds.KINDS["period_pdf"]
    monkeypatch.setitem(kinds.KINDS, "period_pdf", dataclasses.replace(kind, first_task=queue_away))
    client = clients("qa")
    job_id = job_id_of(client.post(start_url(demo)))
    (job,) = jobs(demo)
    assert job.status == JobStatus.FAILED and job.message == operations.QUEUE_AWAY
    page = client.get(f"{SITE}/jobs/{job_id}").get_data(as_text=True)
    assert "Try again in a few minutes" in page and "Try again" in page


@tasks.job_task()
def _refused_or_broken(job_id: int, attempt: int, error: str) -> None:
    operations.begin(job_id, attempt)
    raise operations.JobFailure("The upload is gone.") if error == "refused" else RuntimeError


@pytest.mark.parametrize("error", ["refused", "broken"])
def test_a_refusal_fails_its_job_at_once_and_only_other_errors_are_retried(
    clients, demo, held, monkeypatch, error
):
    """huey retries a task that raises; a reason in words does not change on a retry."""
    job_id = job_id_of(clients("qa").post(start_url(demo)))
    monkeypatch.setattr(tasks, "huey", SimpleNamespace(immediate=False))  # as on a worker
    with demo.app_context():
        if error == "refused":
            _refused_or_broken.call_local(job_id, 1, error, task=SimpleNamespace(retries=2))
        else:
            with pytest.raises(RuntimeError):  # left to huey, which tries again
                _refused_or_broken.call_local(job_id, 1, error, task=SimpleNamespace(retries=2))
    (job,) = jobs(demo)
    assert job.status == (JobStatus.FAILED if error == "refused" else JobStatus.RUNNING)
    if error == "refused":
        assert job.message == "The upload is gone."


def test_a_tasks_further_tasks_are_queued_only_if_its_work_commits(demo):
    """A first task that failed after queuing its parts would have its retry queue them twice."""
    queued: list[str] = []
    with demo.app_context():
        operations.queue_after_commit(1, 1, [lambda: queued.append("undone")])
        undo()
        db.session.commit()
        operations.queue_after_commit(1, 1, [lambda: queued.append("kept")])
        db.session.commit()
    assert queued == ["kept"]
