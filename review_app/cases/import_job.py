"""A case sample imported by the job queue: every row or none, each bad row on the job's page.

The import page saves the upload in the job's folder and starts the job; the task
reads and checks the file (its progress: rows checked), then adds every case and
marks the job done in the one transaction of its unit of work. A bad row, a broken
file or a worker stopped half way leaves nothing written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePath

from review_app.accounts.models import User
from review_app.cases import operations
from review_app.core.errors import OperationError
from review_app.core.unit import after_commit
from review_app.extensions import db
from review_app.jobs import operations as jobs
from review_app.jobs.kinds import JobKind, register
from review_app.jobs.models import Job
from review_app.jobs.tasks import job_task
from review_app.periods.models import ReviewPeriod

KIND = "case_import"
ROLES = ("state_admin",)  # as the import page (cases/views.py)
UPLOAD = "upload"
GONE = "The uploaded file is no longer kept (the job stopped before); import the file again."


def _upload_path(job: Job) -> Path:
    return jobs.job_folder(job.id, job.attempt) / UPLOAD


def start_case_import(user: User, period: ReviewPeriod, filename: str, data: bytes) -> Job:
    """Save the upload and queue its import into ``period`` (or return the same one going).

    The same file sent twice into the same period while the first waits or runs (a
    double click) is one job.
    """
    if not period.is_open:
        raise OperationError(operations.CLOSED)
    name = PurePath(filename.replace("\\", "/")).name or "the file"
    digest = hashlib.sha256(data).hexdigest()[:20]
    job = jobs.start_job(
        user,
        period.site,
        KIND,
        f"Import of {name} into {period.name}",
        dedupe_key=f"{KIND}:{period.id}:{digest}",
        params={"period_id": period.id, "filename": name},
    )
    # Written even when a double click found the job going: its key holds the file's
    # digest, so the bytes are the same, and a stale folder of a rolled-back start is replaced.
    path = _upload_path(job)
    partial = path.with_suffix(".tmp")
    partial.write_bytes(data)
    partial.replace(path)
    return job


@job_task()
def run_case_import(job_id: int, attempt: int) -> None:
    """Read, check and add the job's sample; done with the cases, or failed with each bad row."""
    job = jobs.begin(job_id, attempt)
    if job is None:
        return  # cancelled before it started
    period = db.session.get(ReviewPeriod, job.params.get("period_id"))
    user = db.session.get(User, job.user_id)
    if period is None or user is None or period.site_id != job.site_id:
        raise jobs.JobFailure("The review period or the person who started this is gone.")
    path = _upload_path(job)
    if not path.is_file():
        raise jobs.JobFailure(GONE)
    filename = job.params.get("filename", "the file")
    cases, errors = operations.import_cases(
        user,
        period,
        filename,
        path.read_bytes(),
        rows_read=lambda rows: jobs.plan(job_id, attempt, rows, parts=1, unit="rows checked"),
        rows_checked=lambda rows: jobs.step(job_id, attempt, rows),
    )
    if errors:
        jobs.fail(
            job_id,
            attempt,
            f"Nothing was imported from {filename}: fix what is listed and import it again.",
            problems=errors,
        )
        return
    jobs.finish_with_work(job_id, attempt, f"{len(cases)} case(s) imported into {period.name}.")
    after_commit(lambda: path.unlink(missing_ok=True))  # kept until the cases are


def _no_download(user: User, job: Job) -> None:
    """An import has no file to download; nothing to record."""


register(JobKind(KIND, run_case_import, ROLES, _no_download, unit="rows checked", retry=False))
