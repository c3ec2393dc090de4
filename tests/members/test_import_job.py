"""People imported by a job: one job per file sent twice, refused to observers, all or nobody."""

import dataclasses
import io

from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.jobs import kinds
from review_app.jobs import operations as jobs
from review_app.jobs.models import Job
from review_app.jobs.operations import UNEXPECTED
from review_app.members import bulk_operations, importing
from tests.members.test_import import HEADER, _import

FILE = HEADER + "".join(f"p{n:03},Person {n},p{n}@example.gov,reviewer\n" for n in range(30))


def _post(client, text: str):
    return client.post(
        "/demo/cqi/admin/users/import",
        data={"file": (io.BytesIO(text.encode()), "people.csv")},
        content_type="multipart/form-data",
    )


def _users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def _jobs(app) -> list[Job]:
    with app.app_context():
        found = list(db.session.scalars(select(Job).where(Job.kind == "people_import")))
        db.session.expunge_all()
        return found


def test_the_job_adds_everyone_and_lists_each_person(admin, demo, mailbox):
    before = _users(demo)
    page = _import(admin, FILE).get_data(as_text=True)
    assert "30 user(s) imported. Added and invited by email: 30." in page
    assert page.count("Added and invited by email</td>") == 30
    assert _users(demo) == before + 30 and len(mailbox) == 30
    [job] = _jobs(demo)
    assert (job.done, job.total) == (30, 30)


def test_the_rows_checked_are_counted_as_the_job_goes(admin, demo, mailbox, monkeypatch):
    monkeypatch.setattr(importing, "CHECKED_STEP", 8)
    seen = []
    real_step = jobs.step

    def step_and_look(job_id, attempt, units=1):
        real_step(job_id, attempt, units)
        seen.append(db.session.scalar(select(Job.done).where(Job.id == job_id)))

    monkeypatch.setattr(jobs, "step", step_and_look)
    assert "30 user(s) imported." in _import(admin, FILE).get_data(as_text=True)
    # Committed a step at a time while the rows are checked (their job's page shows it).
    assert seen == [8, 16, 24, 30]
    [job] = _jobs(demo)
    assert (job.done, job.total, job.unit) == (30, 30, "rows checked")


def test_a_file_sent_twice_while_its_import_waits_is_one_job(admin, demo, monkeypatch):
    queued = []
    held = dataclasses.replace(kinds.KINDS["people_import"], first_task=lambda *a: queued.append(a))
    monkeypatch.setitem(kinds.KINDS, "people_import", held)
    first, second = _post(admin, FILE), _post(admin, FILE)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location and len(queued) == 1


def test_an_observer_cannot_start_an_import(demo, clients):
    assert _post(clients("observer"), FILE).status_code == 403
    assert _jobs(demo) == []


def test_a_failure_half_way_adds_nobody_and_sends_no_invitation(admin, demo, mailbox, monkeypatch):
    before = _users(demo)

    def stop(*_args, **_kwargs):
        raise RuntimeError("the worker stopped")

    # The accounts are written and granted; the failure comes as their entries are recorded.
    real = bulk_operations.record
    calls = []

    def record_then_stop(*args, **kwargs):
        calls.append(1)
        return stop() if len(calls) == 10 else real(*args, **kwargs)

    monkeypatch.setattr(bulk_operations, "record", record_then_stop)
    page = _import(admin, FILE).get_data(as_text=True)
    assert len(calls) == 10
    assert "Failed" in page and UNEXPECTED in page.replace("&#39;", "'")
    assert _users(demo) == before and mailbox == []
