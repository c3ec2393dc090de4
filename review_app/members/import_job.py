"""People imported by the job queue: everyone or nobody, each bad row on the job's page.

The import page saves the upload in the job's folder and starts the job; the task
checks every row (its progress: rows checked), then adds or grants every person,
queues their invitations and marks the job done in the one transaction of its unit
of work. The job's page then lists what became of each person; a bad row, a broken
file or a worker stopped half way leaves nobody added and no invitation sent.
"""

from __future__ import annotations

from collections import Counter

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.jobs import operations as jobs
from review_app.jobs.kinds import JobKind, register
from review_app.jobs.models import Job
from review_app.jobs.tasks import job_task
from review_app.jobs.uploads import (
    forget_upload,
    no_download,
    refuse_rows,
    start_upload_job,
    upload_name,
    upload_of,
)
from review_app.members import operations
from review_app.sites.models import Site

KIND = "people_import"
ROLES = ("state_admin",)  # as the import page (members/views.py)


def start_people_import(user: User, site: Site, filename: str, data: bytes) -> Job:
    """Save the upload and queue its import into ``site`` (or return the same one going)."""
    return start_upload_job(
        user,
        site,
        KIND,
        f"Import of {upload_name(filename)} into the users of {site.label}",
        data,
        filename,
    )


@job_task()
def run_people_import(job_id: int, attempt: int) -> None:
    """Check and add the job's people: done with what became of each, or failed, bad rows listed."""
    job = jobs.begin(job_id, attempt)
    if job is None:
        return  # cancelled before it started
    user = db.session.get(User, job.user_id)
    if user is None:
        raise jobs.JobFailure("The person who started this is gone.")
    path = upload_of(job)
    filename = job.params.get("filename", "the file")
    results, errors = operations.import_members(
        user,
        job.site,
        path.read_bytes(),
        filename,
        rows_read=lambda rows: jobs.plan(job_id, attempt, rows, parts=1, unit="rows checked"),
        rows_checked=lambda rows: jobs.step(job_id, attempt, rows),
    )
    if errors:
        refuse_rows(job_id, attempt, filename, errors)
        return
    counts = Counter(result.outcome for result in results)
    told = "; ".join(f"{outcome.value}: {count}" for outcome, count in counts.items())
    jobs.finish_with_work(
        job_id,
        attempt,
        f"{len(results)} user(s) imported. {told}.",
        outcomes=[(result.username, result.outcome.value) for result in results],
    )
    forget_upload(path)


register(JobKind(KIND, run_people_import, ROLES, no_download, unit="rows checked", retry=False))
