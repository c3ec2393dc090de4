"""A person's jobs on a site: the list, a job's status page (and its state for the page's
script), cancel, try again, and the download of the result."""

from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user

from review_app.core.access import site_roles
from review_app.core.roles import roles_of
from review_app.core.sitectx import site_blueprint
from review_app.core.views import run_operation
from review_app.jobs import operations, queries
from review_app.jobs.kinds import kind_of

bp = site_blueprint("jobs", __name__, "/jobs")


NARROWED = (
    "Your access on this site has narrowed since this file was made, so it is no longer "
    "given out. Start the job again to make one of what you reach now."
)


def _mine(job_id: int):
    return queries.load_job(job_id, current_user.id, g.site.id)


def _check_still_allowed(job) -> None:
    """Refuse (403) a person who no longer holds a role the job's kind needs: the same
    rule as the page that started it, for trying again and for taking the result."""
    if not roles_of(current_user, g.site).holds(*kind_of(job.kind).roles):
        abort(403)


@bp.route("")
@site_roles("member")
def index():
    return render_template(
        "jobs/index.html",
        jobs=queries.jobs_of(current_user.id, g.site.id),
        keep_days=current_app.config["JOBS_KEEP_DAYS"],
    )


@bp.route("/<int:job_id>")
@site_roles("member")
def show(job_id: int):
    job = _mine(job_id)
    return render_template(
        "jobs/show.html",
        job=job,
        state=queries.job_state(job),
        keep_days=current_app.config["JOBS_KEEP_DAYS"],
    )


@bp.route("/<int:job_id>/state")
@site_roles("member")
def state(job_id: int):
    response = jsonify(queries.job_state(_mine(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:job_id>/cancel", methods=["POST"])
@site_roles("member")
def cancel(job_id: int):
    job = _mine(job_id)
    run_operation(lambda: operations.cancel_job(current_user, job), "The job is cancelled.")
    return redirect(url_for("jobs.show", job_id=job.id), 303)


@bp.route("/<int:job_id>/retry", methods=["POST"])
@site_roles("member")
def retry(job_id: int):
    job = _mine(job_id)
    _check_still_allowed(job)
    run_operation(lambda: operations.retry_job(current_user, job), "The job starts again.")
    return redirect(url_for("jobs.show", job_id=job.id), 303)


@bp.route("/<int:job_id>/download")
@site_roles("member")
def download(job_id: int):
    job = _mine(job_id)
    _check_still_allowed(job)
    path = Path(current_app.config["JOBS_DIR"]) / (job.result_path or "")
    if not job.has_download or not path.is_file():
        flash("This job has no file to download: it is not done, or its file has expired.", "error")
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    if not queries.still_reached(job, current_user):
        flash(NARROWED, "error")
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    kind_of(job.kind).on_download(current_user, job)
    response = send_file(path, as_attachment=True, download_name=job.download_name)
    response.headers["Cache-Control"] = "no-store"
    return response
