"""An answer key imported by the job queue: every row or none, each bad row on the job's page.

The key's import page saves the upload in the job's folder and starts the job; the
task reads and checks the file (its progress: rows checked), then sets the key's
answers and explanations and marks the job done in the one transaction of its unit
of work. A bad row, a broken file, a key published meanwhile or a worker stopped
half way leaves the key as it was.
"""

from __future__ import annotations

from review_app.accounts.models import User
from review_app.cases.models import Case
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
from review_app.training import key_operations

KIND = "key_import"
ROLES = ("state_admin",)  # as the key's import page (training/views.py)


def start_key_import(user: User, key: Case, filename: str, data: bytes) -> Job:
    """Save the upload and queue its import into ``key`` (or return the same one going).

    A key that takes no import (published, not the person's to manage) is refused
    here, on the page; the same file sent twice into the same key while the first
    waits or runs (a double click) is one job.
    """
    site = key_operations.check_importable(user, key)
    return start_upload_job(
        user,
        site,
        KIND,
        f"Import of {upload_name(filename)} into answer key {key.case_number}",
        data,
        filename,
        scope=[key.id],
        params={"key_id": key.id},
    )


@job_task()
def run_key_import(job_id: int, attempt: int) -> None:
    """Read, check and apply the job's key file; done with the rows, or failed, bad rows listed."""
    run_upload_import(job_id, attempt, _apply_key)


def _apply_key(
    job: Job, user: User, data: bytes, filename: str, **progress: Progress
) -> tuple[Imported, list[str]]:
    key = db.session.get(Case, job.params.get("key_id"))
    if key is None or key.site_id != job.site_id:
        raise jobs.JobFailure("The answer key of this import is gone.")
    count, errors = key_operations.import_key(user, key, data, filename, **progress)
    return Imported(f"{count} row(s) imported into answer key {key.case_number}."), errors


register(JobKind(KIND, run_key_import, ROLES, no_download, unit="rows checked", retry=False))
