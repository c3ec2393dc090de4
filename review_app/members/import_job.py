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
from review_app.members import import_operations
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
    """Read, check and apply the job's people file; done with the rows, or failed, listed."""
    run_upload_import(job_id, attempt, _add_people)


def _add_people(
    job: Job, user: User, data: bytes, filename: str, **progress: Progress
) -> tuple[Imported, list[str]]:
    results, errors = import_operations.import_members(user, job.site, data, filename, **progress)
    counts = Counter(result.outcome for result in results)
    told = "; ".join(f"{outcome.value}: {count}" for outcome, count in counts.items())
    return Imported(
        f"{len(results)} user(s) imported. {told}.",
        outcomes=[(result.username, result.outcome.value) for result in results],
    ), errors


register(JobKind(KIND, run_people_import, ROLES, no_download, unit="rows checked", retry=False))
