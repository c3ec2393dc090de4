"""An answer key import runs as a job: its access rule, one job per file sent twice, its
progress, and nothing applied when a bad row or a failure half way stops it."""

import dataclasses

from sqlalchemy import func, select

from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.jobs import kinds
from review_app.jobs import operations as jobs
from review_app.jobs.models import Job
from review_app.jobs.operations import UNEXPECTED
from review_app.jobs.states import JobStatus
from review_app.training import importing, key_operations
from tests.training.test_import import _draft_key, _import, _job, _start, _state

GOOD = (
    "question_id,answer,narrative\n"
    "1-app,yes,\n"
    "1C,no,Late by two days.\n"
    "7-app,yes,\n"
    "7A,no,Siblings were placed apart.\n"
    "7B,yes,\n"
)


def _jobs(app) -> list[Job]:
    with app.app_context():
        return list(db.session.scalars(select(Job).where(Job.kind == "key_import")))


def test_only_the_sites_administrators_start_a_key_import(demo, clients):
    key_id = _draft_key(demo, clients)
    for username in ("observer", "qa", "reviewer"):
        assert _start(clients(username), key_id, GOOD).status_code == 403, username
    assert _jobs(demo) == []


def test_a_bad_file_applies_nothing_and_its_job_lists_each_bad_row(demo, clients):
    key_id = _draft_key(demo, clients)
    before = _state(demo, key_id)
    page = _import(
        clients("admin"),
        key_id,
        "question_id,answer,narrative\n1-app,yes,\n1C,no,Late.\nNOPE,yes,\n7A,sometimes,\n",
    )
    assert "Nothing was imported: 2 rows to fix" in page
    assert "Line 4: question_id: there is no question or item “NOPE” in the instrument." in page
    assert "Line 5: answer: choose one of yes, no." in page
    assert _state(demo, key_id) == before  # the good rows 2 and 3 were not applied either
    job = _job(demo)
    assert job.status == JobStatus.FAILED and len(job.problems) == 2
    with demo.app_context():
        imported = select(func.count()).where(AuditEntry.action == "training.import_key")
        assert db.session.scalar(imported) == 0


def test_the_rows_checked_are_counted_as_the_job_goes(demo, clients, monkeypatch):
    monkeypatch.setattr(importing, "CHECKED_STEP", 2)
    seen = []
    real_step = jobs.step

    def step_and_look(job_id, attempt, units=1):
        real_step(job_id, attempt, units)
        seen.append(db.session.scalar(select(Job.done).where(Job.id == job_id)))

    monkeypatch.setattr(jobs, "step", step_and_look)
    key_id = _draft_key(demo, clients)
    assert "5 row(s) imported" in _import(clients("admin"), key_id, GOOD)
    assert seen == [2, 4, 5]  # committed one step at a time, for the job's page to show


def test_a_failure_half_way_through_the_writes_leaves_the_key_as_it_was(demo, clients, monkeypatch):
    key_id = _draft_key(demo, clients)
    before = _state(demo, key_id)
    real_record = key_operations.record

    def record_then_stop(actor, action, *args, **kwargs):
        if action == "training.import_key":  # the answers are written; the worker stops
            raise RuntimeError("the worker stopped")
        return real_record(actor, action, *args, **kwargs)

    monkeypatch.setattr(key_operations, "record", record_then_stop)
    page = _import(clients("admin"), key_id, GOOD)
    assert "Failed" in page and UNEXPECTED in page
    assert _state(demo, key_id) == before
    assert _job(demo).status == JobStatus.FAILED


def test_a_file_sent_twice_while_its_import_waits_is_one_job(demo, clients, monkeypatch):
    queued = []
    held = dataclasses.replace(kinds.KINDS["key_import"], first_task=lambda *a: queued.append(a))
    monkeypatch.setitem(kinds.KINDS, "key_import", held)
    key_id = _draft_key(demo, clients)
    admin = clients("admin")
    first, second = _start(admin, key_id, GOOD), _start(admin, key_id, GOOD)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location and len(queued) == 1 and len(_jobs(demo)) == 1


def test_a_key_published_before_its_import_ran_is_left_alone(demo, clients, monkeypatch):
    queued = []
    held = dataclasses.replace(kinds.KINDS["key_import"], first_task=lambda *a: queued.append(a))
    monkeypatch.setitem(kinds.KINDS, "key_import", held)
    key_id = _draft_key(demo, clients)
    admin = clients("admin")
    job_url = _start(admin, key_id, GOOD).location
    with demo.app_context():  # published meanwhile (as if complete): the job must refuse
        from review_app.cases.models import Case

        db.session.get(Case, key_id).key_published_at = db.func.now()
        db.session.commit()
    before = _state(demo, key_id)
    monkeypatch.undo()
    with demo.app_context():
        kinds.KINDS["key_import"].first_task(*queued[0])
    page = admin.get(job_url).get_data(as_text=True).replace("&#39;", "'")
    assert "Failed" in page and "Withdraw the published key before importing" in page
    assert _state(demo, key_id) == before
