"""Reads of jobs: a person's jobs on a site, one job of theirs, its state for the page's script."""

from typing import Any

from flask import abort, url_for
from sqlalchemy import select

from review_app.core.scope import Scope, scope_of
from review_app.extensions import db
from review_app.jobs.kinds import kind_of
from review_app.jobs.models import REACH, Job
from review_app.jobs.states import JobStatus

LISTED = 50  # the newest; older ones expire within days anyway


def jobs_of(user_id: int, site_id: int) -> list[Job]:
    """Return the newest jobs ``user_id`` started on ``site_id``, newest first."""
    return list(
        db.session.scalars(
            select(Job)
            .where(Job.user_id == user_id, Job.site_id == site_id)
            .order_by(Job.created_at.desc(), Job.id.desc())
            .limit(LISTED)
        )
    )


def load_job(job_id: int, user_id: int, site_id: int) -> Job:
    """Load a job its owner asks for on its own site, or 404 (anyone else, any other site)."""
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None or job.user_id != user_id or job.site_id != site_id:
        abort(404)
    return job


def still_reached(job: Job, user: Any) -> bool:
    """Tell whether ``user`` still reaches every local site they reached when the job began.

    A file made while their access was wider is not handed out once it narrowed. A job
    from before this was recorded counts as made for the whole site.
    """
    reach = (job.params or {}).get(REACH)
    made_for = Scope(None if reach is None else frozenset(reach))
    return scope_of(user, job.site_id).contains(made_for)


def job_state(job: Job) -> dict[str, Any]:
    """Return what the status page's script updates, in words."""
    return {
        "status": job.status.value,
        "status_label": job.status.label,
        "units_done": job.done,
        "units_total": job.total,
        "progress": job.progress_words,
        "message": job.message or "",
        "finished": job.status in JobStatus.FINISHED,
        "download": url_for("jobs.download", job_id=job.id) if job.has_download else "",
        "expires": job.expires_at.strftime("%Y-%m-%d %H:%M UTC") if job.expires_at else "",
        "can_retry": job.status in (JobStatus.FAILED, JobStatus.CANCELLED)
        and kind_of(job.kind).retry,
        # An import's bad rows, or what became of each row: the page is loaded again to list them.
        "problems": len(job.problems) + len(job.outcomes),
    }
