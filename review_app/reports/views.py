"""Reports: the case rating summary of a case, as a page and as PDF, and a period's batch PDF."""

from flask import g, render_template
from flask_login import current_user

from review_app.audit.operations import record_read
from review_app.cases.loaders import load_case
from review_app.cases.models import ELIMINATION_REASONS
from review_app.cases.permissions import can_view
from review_app.core.access import site_roles
from review_app.core.models import utcnow
from review_app.core.pagecache import cached_page
from review_app.core.pdf import download_name, pdf_response, render_pdf
from review_app.core.sitectx import site_blueprint
from review_app.core.views import get_in_site
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.periods.models import ReviewPeriod
from review_app.periods.queries import periods as site_periods
from review_app.reports import queries

bp = site_blueprint("reports", __name__, "/reports")
# Who reads a whole period's reports: everyone of the site but reviewers, who see their cases.
READERS = ("state_admin", "qa", "observer")


def _labels() -> dict:
    return {
        "item_labels": ITEM_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "elimination_reasons": ELIMINATION_REASONS,
        "printed_at": utcnow(),
    }


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


@bp.route("/periods/<int:period_id>/finalized.pdf")
@site_roles(*READERS)
def period_finalized_pdf(period_id: int):
    period = get_in_site(ReviewPeriod, period_id)
    cases = [case for case in queries.finalized_cases(period) if can_view(case, current_user)]
    summaries = queries.summaries(cases, period)
    data = render_pdf("reports/period_pdf.html", period=period, summaries=summaries, **_labels())
    record_read(
        current_user,
        "download.period_summaries",
        period,
        f"Downloaded the rating summaries of {len(cases)} finalized cases of {period.name} (PDF)",
        site=g.site,
        details={
            "period": period.name,
            "case_numbers": [case.case_number for case in cases],
            "format": "pdf",
        },
    )
    return pdf_response(data, download_name(period.name, "finalized-cases"))
