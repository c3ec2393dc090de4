"""The source data prepared by a job: the same file as the streamed download, audited alike."""

import io

from openpyxl import load_workbook
from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.jobs.models import Job
from review_app.jobs.states import JobStatus
from tests.conftest import login
from tests.exports.test_source import _period_id
from tests.performance.conftest import SITE, add_finalized


def _prepare(client, period_id: int, fmt: str):
    started = client.post(f"{SITE}/exports/periods/{period_id}/source.{fmt}/prepare")
    assert started.status_code == 303 and f"{SITE}/jobs/" in started.location
    return started.location


def _job(app) -> Job:
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.kind == "source_data"))
        db.session.expunge_all()
        return job


def _sheets(data: bytes) -> list[list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def test_the_prepared_csv_is_the_streamed_csv_and_its_download_is_audited(demo, client):
    add_finalized(demo, 3)
    login(client, "observer")
    period_id = _period_id(demo)
    streamed = client.get(f"{SITE}/exports/periods/{period_id}/source.csv").data
    page = client.get(_prepare(client, period_id, "csv")).get_data(as_text=True)
    job = _job(demo)
    assert job.status == JobStatus.DONE and job.done == job.total >= 3
    assert "Download" in page and f"{job.total} of {job.total} cases" in page
    downloaded = client.get(f"{SITE}/jobs/{job.id}/download")
    assert downloaded.status_code == 200
    assert downloaded.data == streamed
    assert downloaded.headers["Content-Disposition"].endswith("-source-data.csv")
    with demo.app_context():
        entries = list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "download.source_data")
            )
        )
    assert len(entries) == 2  # the streamed download and the prepared one
    assert entries[-1].summary.startswith("Downloaded the source data of ")


def test_the_prepared_workbook_holds_the_streamed_workbooks_sheets(demo, client):
    add_finalized(demo, 2)
    login(client, "qa")
    period_id = _period_id(demo)
    streamed = client.get(f"{SITE}/exports/periods/{period_id}/source.xlsx").data
    _prepare(client, period_id, "xlsx")
    downloaded = client.get(f"{SITE}/jobs/{_job(demo).id}/download")
    assert _sheets(downloaded.data) == _sheets(streamed)


def test_a_reviewer_cannot_prepare_the_file(demo, clients):
    period_id = _period_id(demo)
    answer = clients("reviewer").post(f"{SITE}/exports/periods/{period_id}/source.csv/prepare")
    assert answer.status_code == 403
    assert _job(demo) is None


def test_a_period_too_large_to_download_at_once_offers_only_the_background_file(demo, clients):
    demo.config["EXPORT_STREAM_MAX_CASES"] = 1
    try:
        client = clients("admin")
        page = client.get("/demo/cqi/exports").get_data(as_text=True)
        assert "too many to download at once" in page
        assert 'source.csv"' not in page and "Prepare the CSV file" in page
        with demo.app_context():
            from sqlalchemy import select

            from review_app.extensions import db
            from review_app.periods.models import ReviewPeriod
            from review_app.sites.queries import site_by_slug

            site = site_by_slug("demo", "cqi")
            period_id = db.session.scalar(
                select(ReviewPeriod.id).where(ReviewPeriod.site_id == site.id)
            )
        answer = client.get(f"/demo/cqi/exports/periods/{period_id}/source.csv")
        assert answer.status_code == 303 and answer.location.endswith("/demo/cqi/exports")
        assert "prepare the file in the background" in client.get(answer.location).get_data(
            as_text=True
        )
    finally:
        demo.config["EXPORT_STREAM_MAX_CASES"] = 1000
