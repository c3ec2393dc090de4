"""A period's source data prepared as a file by the job queue, for a large period.

The streamed download (exports/views.py ``source``) stays for any period; *Prepare
the file* writes the same CSV or XLSX to the job's folder, a case at a time with its
progress, and the job's page offers it. Its download is audited as the streamed one.
"""

from __future__ import annotations

from collections.abc import Iterator

from review_app.accounts.models import User
from review_app.audit.operations import record_read
from review_app.core.spreadsheets import file_chunks, safe_filename
from review_app.exports import columns, queries
from review_app.exports.queries import CaseData
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.jobs import operations as jobs
from review_app.jobs.kinds import JobKind, register
from review_app.jobs.models import Job
from review_app.jobs.tasks import job_task
from review_app.periods.models import ReviewPeriod

KIND = "source_data"
ROLES = ("state_admin", "qa", "observer")  # as the source data page (exports/views.py)
STEP = 50  # cases written between two reports of progress


def file_name(period: ReviewPeriod, fmt: str) -> str:
    """Return the name the download has, streamed or prepared."""
    return f"{period.site.slug}-{period.name}-source-data"


def start_source_file(user: User, period: ReviewPeriod, fmt: str) -> Job:
    """Queue the source data file of ``period`` in ``fmt`` (or return the same one going)."""
    return jobs.start_job(
        user,
        period.site,
        KIND,
        f"Source data of {period.name} ({fmt.upper()})",
        dedupe_key=f"{KIND}:{period.id}:{fmt}",
        params={"period_id": period.id, "format": fmt},
    )


def _counted(job_id: int, attempt: int, cases: Iterator[CaseData]) -> Iterator[CaseData]:
    written = 0
    for data in cases:
        yield data
        written += 1
        if written % STEP == 0:
            jobs.step(job_id, attempt, STEP)
    if written % STEP:
        jobs.step(job_id, attempt, written % STEP)


@job_task()
def write_source_file(job_id: int, attempt: int) -> None:
    """Write the period's source data to the job's folder, a case at a time, then finish."""
    job = jobs.begin(job_id, attempt)
    if job is None:
        return  # cancelled before it started
    period = db.session.get(ReviewPeriod, job.params.get("period_id"))
    fmt = job.params.get("format")
    if period is None or period.site_id != job.site_id or fmt not in ("csv", "xlsx"):
        raise jobs.JobFailure("The review period of this file is gone.")
    jobs.plan(job_id, attempt, total=queries.case_counts([period])[period.id], parts=1)
    found = columns.columns(get_instrument(period.instrument_version), period)
    more = [("Questions", columns.codebook(found))] if fmt == "xlsx" else []
    folder = jobs.job_folder(job_id, attempt)
    partial = folder / "result.tmp"
    with partial.open("wb") as target:
        chunks = file_chunks(
            fmt,
            columns.headers(found),
            lambda: columns.rows(found, _counted(job_id, attempt, queries.period_cases(period))),
            more=more,
        )
        for chunk in chunks:
            target.write(chunk)
    partial.replace(folder / f"result.{fmt}")
    name = f"{safe_filename(file_name(period, fmt))}.{fmt}"
    jobs.finish(job_id, attempt, f"{folder.name}/result.{fmt}", name)


def _record_download(user: User, job: Job) -> None:
    period = db.session.get(ReviewPeriod, job.params.get("period_id"))
    fmt = str(job.params.get("format", ""))
    label = period.name if period is not None else job.title
    record_read(
        user,
        "download.source_data",
        period if period is not None else job,
        f"Downloaded the source data of {label} ({fmt.upper()})",
        site=job.site,
        details={"period": label, "format": fmt, "job": job.title},
    )


register(JobKind(KIND, write_source_file, ROLES, _record_download, unit="cases"))
