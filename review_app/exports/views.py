"""Downloads of a review period's source data: every answer, narrative and rating."""

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user

from review_app.audit.operations import record_read
from review_app.core.access import site_roles
from review_app.core.sitectx import site_blueprint
from review_app.core.spreadsheets import download
from review_app.core.views import get_in_site
from review_app.exports import columns, queries
from review_app.exports.source_job import file_name, start_source_file
from review_app.instruments.catalog import get_instrument
from review_app.periods.models import ReviewPeriod
from review_app.periods.queries import periods as site_periods

bp = site_blueprint("exports", __name__, "/exports")
READERS = ("state_admin", "qa", "observer")


@bp.route("")
@site_roles(*READERS)
def index():
    periods = site_periods(g.site)
    return render_template(
        "exports/index.html",
        periods=periods,
        counts=queries.case_counts(periods),
        stream_max=current_app.config["EXPORT_STREAM_MAX_CASES"],
    )


def _too_large(period: ReviewPeriod) -> int | None:
    """The period's case count when it is over what downloads at once, else None."""
    limit = current_app.config["EXPORT_STREAM_MAX_CASES"]
    count = queries.case_counts([period])[period.id]
    return count if limit is not None and count > limit else None


@bp.route("/periods/<int:period_id>/source.<any(csv, xlsx):fmt>")
@site_roles(*READERS)
def source(period_id: int, fmt: str):
    period = get_in_site(ReviewPeriod, period_id)
    if count := _too_large(period):
        flash(
            f"{period.name} has {count} cases, too many to download at once: prepare the "
            "file in the background instead (its page shows the progress).",
            "info",
        )
        return redirect(url_for("exports.index"), 303)
    found = columns.columns(get_instrument(period.instrument_version), period)
    name = file_name(period, fmt)
    record_read(
        current_user,
        "download.source_data",
        period,
        f"Downloaded the source data of {period.name} ({fmt.upper()})",
        site=g.site,
        details={"period": period.name, "format": fmt},
    )
    return download(
        fmt,
        name,
        columns.headers(found),
        lambda: columns.rows(found, queries.period_cases(period)),
        more=[("Questions", columns.codebook(found))],
    )


@bp.route("/periods/<int:period_id>/source.<any(csv, xlsx):fmt>/prepare", methods=["POST"])
@site_roles(*READERS)
def prepare(period_id: int, fmt: str):
    """Start the job that writes the file (a large period); open its page."""
    period = get_in_site(ReviewPeriod, period_id)
    job = start_source_file(current_user, period, fmt)
    return redirect(url_for("jobs.show", job_id=job.id), 303)
