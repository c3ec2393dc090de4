"""Reports: the case rating summary of a case, as a page and as PDF, and a period's batch PDF."""

from flask import g, redirect, render_template, url_for
from flask_login import current_user

from review_app.audit.operations import record_read
from review_app.cases.loaders import load_case
from review_app.core.access import site_roles
from review_app.core.models import utcnow
from review_app.core.pagecache import cached_page
from review_app.core.pdf import download_name, pdf_response, render_pdf
from review_app.core.sitectx import site_blueprint
from review_app.core.views import get_in_site
from review_app.periods.models import ReviewPeriod
from review_app.periods.queries import periods as site_periods
from review_app.reports import queries
from review_app.reports.labels import pdf_labels
from review_app.reports.period_pdf import start_period_pdf

bp = site_blueprint("reports", __name__, "/reports")
# Who reads a whole period's reports: everyone of the site but reviewers, who see their cases.
READERS = ("state_admin", "qa", "observer")


def _labels() -> dict:
    return {**pdf_labels(), "printed_at": utcnow()}


@bp.route("")
@site_roles(*READERS)
def index():
    return render_template(
        "reports/index.html",
        periods=site_periods(g.site),
        finalized=queries.finalized_counts(g.site),
    )


@bp.route("/cases/<int:case_id>/summary")
@site_roles("member")
@cached_page
def case_summary(case_id: int):
    summary = queries.case_summary(load_case(case_id))
    return render_template("reports/case_summary.html", summary=summary, **_labels())


@bp.route("/cases/<int:case_id>/summary.pdf")
@site_roles("member")
def case_summary_pdf(case_id: int):
    summary = queries.case_summary(load_case(case_id))
    data = render_pdf("reports/case_summary_pdf.html", summary=summary, **_labels())
    case = summary.case
    record_read(
        current_user,
        "download.case_summary",
        case,
        f"Downloaded the rating summary of case {case.case_number} (PDF)",
        site=g.site,
        details={"case_number": case.case_number, "period": case.period.name, "format": "pdf"},
    )
    return pdf_response(data, download_name("case", case.case_number, "rating-summary"))


@bp.route("/periods/<int:period_id>/finalized-pdf", methods=["POST"])
@site_roles(*READERS)
def period_finalized_pdf(period_id: int):
    """Start the PDF of the period's finalized cases on the job queue; show its progress."""
    job = start_period_pdf(current_user, get_in_site(ReviewPeriod, period_id))
    return redirect(url_for("jobs.show", job_id=job.id), 303)
