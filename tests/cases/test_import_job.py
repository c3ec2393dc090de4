"""A case import runs as a job: one job per file sent twice, progress, and all or nothing."""

import dataclasses

from sqlalchemy import func, select

from review_app.audit.models import AuditEntry
from review_app.cases import bulk_operations
from review_app.extensions import db
from review_app.jobs import kinds
from review_app.jobs.models import Job
from review_app.jobs.operations import UNEXPECTED
from review_app.jobs.states import JobStatus
from tests.cases.test_import import HEADER, _count, _period_id, _upload

ROWS = 700  # past one report of progress (every 500 rows checked)


def _sample(rows: int) -> bytes:
    lines = [f"J-{n:04},in_home,001,C.{n}.,2015-01-02,2025-03-04,reviewer" for n in range(rows)]
    return (HEADER + "\n".join(lines) + "\n").encode()


def _jobs(app) -> list[Job]:
    with app.app_context():
        found = list(db.session.scalars(select(Job).where(Job.kind == "case_import")))
        db.session.expunge_all()
        return found


def _post(client, app, content: bytes):
    import io

    return client.post(
        "/demo/cfsr/cases/import",
        data={"period_id": str(_period_id(app)), "file": (io.BytesIO(content), "s.csv")},
        content_type="multipart/form-data",
    )


def test_a_valid_file_is_imported_by_the_job_with_its_rows_counted(demo, clients):
    before = _count(demo)
    page = _upload(clients("admin"), demo, _sample(ROWS)).get_data(as_text=True)
    assert f"{ROWS} case(s) imported into" in page
    assert _count(demo) == before + ROWS
    [job] = _jobs(demo)
    assert (job.status, job.done, job.total, job.unit) == (
        JobStatus.DONE, ROWS, ROWS, "rows checked",
    )  # fmt: skip
    assert job.title.startswith("Import of sample.csv into ")


def test_a_file_sent_twice_while_its_import_waits_is_one_job(demo, clients, monkeypatch):
    queued = []
    kind = kinds.KINDS["case_import"]
    held = dataclasses.replace(kind, first_task=lambda *args: queued.append(args))
    monkeypatch.setitem(kinds.KINDS, "case_import", held)
    client = clients("admin")
    first = _post(client, demo, _sample(3))
    second = _post(client, demo, _sample(3))
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    assert len(_jobs(demo)) == 1 and len(queued) == 1
    assert _post(client, demo, _sample(4)).location != first.location  # another file


def test_an_observer_cannot_start_an_import(demo, clients):
    assert _post(clients("observer"), demo, _sample(2)).status_code == 403
    assert _jobs(demo) == []


def test_a_failure_half_way_through_the_writes_leaves_nothing(demo, clients, monkeypatch):
    before = _count(demo)
    written = []
    real_record = bulk_operations.record

    def record_then_stop(*args, **kwargs):
        written.append(args)
        if len(written) == 5:  # the cases, their items and four entries are written
            raise RuntimeError("the worker stopped")
        return real_record(*args, **kwargs)

    monkeypatch.setattr(bulk_operations, "record", record_then_stop)
    page = _upload(clients("admin"), demo, _sample(20)).get_data(as_text=True)
    assert len(written) == 5, page[page.find("<main") :][:3000]
    assert "Failed" in page and UNEXPECTED in page.replace("&#39;", "'")
    assert _count(demo) == before
    with demo.app_context():
        imported = select(func.count(AuditEntry.id)).where(AuditEntry.action == "case.import")
        assert db.session.scalar(imported) == 0


def test_a_refused_import_offers_no_try_again_since_its_file_is_not_kept(demo, clients):
    client = clients("admin")
    page = _upload(client, demo, (HEADER + "N-1,boat,001,A.A.,,,\n").encode())
    [job] = _jobs(demo)
    assert "Nothing was imported" in page.get_data(as_text=True)
    assert client.get(f"/demo/cfsr/jobs/{job.id}/state").get_json()["can_retry"] is False
    answer = client.post(f"/demo/cfsr/jobs/{job.id}/retry", follow_redirects=True)
    assert "An import cannot be tried again" in answer.get_data(as_text=True)
    assert _jobs(demo)[0].status == JobStatus.FAILED
