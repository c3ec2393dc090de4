"""People imported by the job queue: everyone or nobody, each bad row on the job's page.

The import page saves the upload in the job's folder and starts the job; the task
checks every row, then adds or grants every person, queues their invitations and
marks the job done in the one transaction of its unit of work. The job's page then
lists what became of each person; a bad row, a broken file or a worker stopped half
way leaves nobody added and no invitation sent.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path, PurePath

from review_app.accounts.models import User
from review_app.core.unit import after_commit
from review_app.extensions import db
from review_app.jobs import operations as jobs
from review_app.jobs.kinds import JobKind, register
from review_app.jobs.models import Job
from review_app.jobs.tasks import job_task
from review_app.members import operations
from review_app.sites.models import Site

KIND = "people_import"
ROLES = ("state_admin",)  # as the import page (members/views.py)
UPLOAD = "upload"
GONE = "The uploaded file is no longer kept (the job stopped before); import the file again."


def _upload_path(job: Job) -> Path:
    return jobs.job_folder(job.id, job.attempt) / UPLOAD


def start_people_import(user: User, site: Site, filename: str, data: bytes) -> Job:
    """Save the upload and queue its import into ``site`` (or return the same one going)."""
    name = PurePath(filename.replace("\\", "/")).name or "the file"
    digest = hashlib.sha256(data).hexdigest()[:20]
    job = jobs.start_job(
        user,
        site,
        KIND,
        f"Import of {name} into the users of {site.label}",
        dedupe_key=f"{KIND}:{digest}",
        params={"filename": name},
    )
    # The same bytes when a double click found the job going (its key holds the digest).
    path = _upload_path(job)
    partial = path.with_suffix(".tmp")
    partial.write_bytes(data)
    partial.replace(path)
    return job


@job_task()
def run_people_import(job_id: int, attempt: int) -> None:
    """Check and add the job's people: done with what became of each, or failed, bad rows listed."""
    job = jobs.begin(job_id, attempt)
    if job is None:
        return  # cancelled before it started
    user = db.session.get(User, job.user_id)
    if user is None:
        raise jobs.JobFailure("The person who started this is gone.")
    path = _upload_path(job)
    if not path.is_file():
        raise jobs.JobFailure(GONE)
    filename = job.params.get("filename", "the file")
    results, errors = operations.import_members(
        user,
        job.site,
        path.read_bytes(),
        filename,
        rows_read=lambda rows: jobs.plan(job_id, attempt, rows, parts=1, unit="rows"),
    )
    if errors:
        jobs.fail(
            job_id,
            attempt,
            f"Nothing was imported from {filename}: fix what is listed and import it again.",
            problems=errors,
        )
        return
    counts = Counter(result.outcome for result in results)
    told = "; ".join(f"{outcome.value}: {count}" for outcome, count in counts.items())
    jobs.finish_with_work(
        job_id,
        attempt,
        f"{len(results)} user(s) imported. {told}.",
        outcomes=[(result.username, result.outcome.value) for result in results],
    )
    after_commit(lambda: path.unlink(missing_ok=True))  # kept until the people are


def _no_download(user: User, job: Job) -> None:
    """An import has no file to download; nothing to record."""


register(JobKind(KIND, run_people_import, ROLES, _no_download, unit="rows", retry=False))
