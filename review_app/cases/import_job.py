"""A case sample imported by the job queue: every row or none, each bad row on the job's page.

The import page saves the upload in the job's folder and starts the job; the task
reads and checks the file (its progress: rows checked), then adds every case and
marks the job done in the one transaction of its unit of work. A bad row, a broken
file or a worker stopped half way leaves nothing written.
"""

from __future__ import annotations

from review_app.accounts.models import User
from review_app.cases import operations
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.jobs import operations as jobs
from review_app.jobs.kinds import JobKind, register
from review_app.jobs.models import Job
from review_app.jobs.tasks import job_task
from review_app.jobs.uploads import (
    Imported,
    Progress,
    no_download,
    run_upload_import,
    start_upload_job,
    upload_name,
)
from review_app.periods.models import ReviewPeriod

KIND = "case_import"
ROLES = ("state_admin",)  # as the import page (cases/views.py)


def start_case_import(user: User, period: ReviewPeriod, filename: str, data: bytes) -> Job:
    """Save the upload and queue its import into ``period`` (or return the same one going).

    The same file sent twice into the same period while the first waits or runs (a
    double click) is one job.
    """
    if not period.is_open:
        raise OperationError(operations.CLOSED)
    return start_upload_job(
        user,
        period.site,
        KIND,
        f"Import of {upload_name(filename)} into {period.name}",
        data,
        filename,
        scope=[period.id],
        params={"period_id": period.id},
    )


@job_task()
def run_case_import(job_id: int, attempt: int) -> None:
    """Read, check and add the job's sample; done with the cases, or failed with each bad row."""
    run_upload_import(job_id, attempt, _add_cases)


def _add_cases(
    job: Job, user: User, data: bytes, filename: str, **progress: Progress
) -> tuple[Imported, list[str]]:
    period = db.session.get(ReviewPeriod, job.params.get("period_id"))
    if period is None or period.site_id != job.site_id:
        raise jobs.JobFailure("The review period of this import is gone.")
    cases, errors = operations.import_cases(user, period, filename, data, **progress)
    return Imported(f"{len(cases)} case(s) imported into {period.name}."), errors


register(JobKind(KIND, run_case_import, ROLES, no_download, unit="rows checked", retry=False))
