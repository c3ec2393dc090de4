"""Every download of case data and every API read of cases is in the audit log: who, what, how."""

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.audit.queries import verify_chain
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.periods.queries import periods
from review_app.sites.queries import site_by_slug, site_with_version
from tests.api.test_api import get, make_token
from tests.core.test_query_counts import counted

SITE = "/demo/cqi"


@pytest.fixture
def ids(demo):
    """The demo CQI site's id, newest period's id and name, and a case of it with its number."""
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        period = periods(site)[-1]
        case = db.session.scalar(select(Case).where(Case.period_id == period.id).order_by(Case.id))
        return {
            "site": site.id,
            "period": period.id,
            "period_name": period.name,
            "case": case.id,
            "case_number": case.case_number,
        }


@pytest.fixture
def fast_pdfs(monkeypatch):
    """Skip drawing PDFs: what is audited does not depend on them."""
    for module in ("reports", "performance"):
        monkeypatch.setattr(
            f"review_app.{module}.views.render_pdf", lambda *args, **kwargs: b"%PDF-1.4"
        )


def _reads(app) -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.is_read_event).order_by(AuditEntry.id)
        )
        return list(rows)


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


# The period's PDF is made by a job; its download is audited in tests/jobs/test_period_pdf_job.py.
DOWNLOADS = [
    # (url, action, object type, what the summary names, details expected)
    (
        "/reports/cases/{case}/summary.pdf",
        "download.case_summary",
        "Case",
        "rating summary of case {case_number} (PDF)",
        {"case_number": "{case_number}", "format": "pdf"},
    ),
    (
        "/performance/figures.pdf?period={period}",
        "download.performance",
        "ReviewPeriod",
        "performance figures of {period_name} (PDF)",
        {"period": "{period_name}", "filters": "finalized", "format": "pdf"},
    ),
    (
        "/performance/cases.csv?period={period}&status=all&figure=item:3",
        "download.performance_cases",
        "ReviewPeriod",
        "the cases behind item 3 of {period_name} (CSV)",
        {"figure": "item 3", "format": "csv"},
    ),
    (
        "/performance/cases.xlsx?period={period}",
        "download.performance_cases",
        "ReviewPeriod",
        "the cases behind every counted case of {period_name} (XLSX)",
        {"format": "xlsx"},
    ),
    (
        "/exports/periods/{period}/source.csv",
        "download.source_data",
        "ReviewPeriod",
        "source data of {period_name} (CSV)",
        {"period": "{period_name}", "format": "csv"},
    ),
    (
        "/exports/periods/{period}/source.xlsx",
        "download.source_data",
        "ReviewPeriod",
        "source data of {period_name} (XLSX)",
        {"format": "xlsx"},
    ),
]


@pytest.mark.parametrize(
    "url, action, object_type, summary, details", DOWNLOADS, ids=[d[0] for d in DOWNLOADS]
)
def test_every_download_of_case_data_is_audited_with_who_and_what(
    clients, demo, ids, fast_pdfs, url, action, object_type, summary, details
):
    qa = clients("qa")
    response = qa.get(SITE + url.format(**ids))
    assert response.status_code == 200
    response.get_data()  # the whole download, streamed
    (entry,) = _reads(demo)
    assert entry.action == action
    assert (entry.actor_id, entry.actor_name) == (_user_id(demo, "qa"), "qa")
    assert entry.site_id == ids["site"]
    assert entry.object_type == object_type
    assert entry.object_id == (ids["case"] if object_type == "Case" else ids["period"])
    assert entry.summary.startswith("Downloaded ")
    assert summary.format(**ids) in entry.summary
    for key, value in details.items():
        assert value.format(**ids) in entry.after[key]
    with demo.app_context():
        assert verify_chain().is_intact


def test_a_refused_download_is_not_recorded(clients, demo, ids):
    assert (
        clients("reviewer").get(f"{SITE}/exports/periods/{ids['period']}/source.csv").status_code
        == 403
    )
    assert clients("qa").get(f"{SITE}/exports/periods/999999/source.csv").status_code == 404
    assert _reads(demo) == []


def test_api_reads_of_cases_are_audited_with_the_token_and_filters(demo, client, clients, ids):
    token = make_token(demo, "observer")
    url = f"/api/v1/demo/cqi/cases?period={ids['period']}&status=in_progress"
    listed = get(client, url, token).get_json()
    assert get(client, f"/api/v1/demo/cqi/cases/{ids['case']}", token).status_code == 200
    assert get(client, "/api/v1/demo/cqi/periods", token).status_code == 200  # no case data
    listing, single = _reads(demo)
    observer = _user_id(demo, "observer")
    assert (listing.action, listing.actor_id, listing.site_id) == (
        "api.cases",
        observer,
        ids["site"],
    )
    assert listing.after["filters"] == {"period_id": ids["period"], "status": "in_progress"}
    assert listing.after["case_numbers"] == [case["case_number"] for case in listed["cases"]]
    assert listing.after["token"].startswith("tests (rvw_")
    assert f"{len(listed['cases'])} of {listed['total']}" in listing.summary
    assert (single.action, single.object_type, single.object_id) == (
        "api.case",
        "Case",
        ids["case"],
    )
    assert single.summary == f"Read case {ids['case_number']} through the API"
    page = clients("admin").get(f"{SITE}/admin/audit", query_string={"action": "api"})
    text = page.get_data(as_text=True)
    assert "2 entries" in text
    assert f"<strong>Filters</strong>: Period id: {ids['period']}, Status: In progress" in text
    with demo.app_context():
        assert verify_chain().is_intact


def test_reads_leave_the_site_version_and_kept_pages_alone(clients, demo, ids):
    with demo.app_context():
        _, version = site_with_version("demo", "cqi")
    qa = clients("qa")
    assert qa.get(f"{SITE}/performance/cases.csv?period={ids['period']}").status_code == 200
    assert qa.get(f"{SITE}/exports/periods/{ids['period']}/source.csv").status_code == 200
    with demo.app_context():
        assert site_with_version("demo", "cqi")[1] == version
    # A kept page is still served as kept: no statement beyond the request's own reads.
    page = f"{SITE}/performance?period={ids['period']}"
    qa.get(page)
    with counted(demo, fresh_pages=False) as first:
        qa.get(page)
    qa.get(f"{SITE}/exports/periods/{ids['period']}/source.csv")
    with counted(demo, fresh_pages=False) as second:
        qa.get(page)
    assert len(second) == len(first)


def test_reads_stay_out_of_a_cases_history_of_changes(clients, demo, ids, fast_pdfs):
    qa = clients("qa")
    assert qa.get(f"{SITE}/reports/cases/{ids['case']}/summary.pdf").status_code == 200
    page = qa.get(f"{SITE}/cases/{ids['case']}/history").get_data(as_text=True)
    assert "Downloaded" not in page


def test_the_audit_page_shows_reads_with_their_details_in_a_steady_statement_count(
    clients, demo, ids
):
    admin, qa = clients("admin"), clients("qa")
    admin.get(f"{SITE}/admin/audit")
    with counted(demo) as few:
        assert admin.get(f"{SITE}/admin/audit").status_code == 200
    for fmt in ("csv", "xlsx", "csv"):
        qa.get(f"{SITE}/exports/periods/{ids['period']}/source.{fmt}")
    with counted(demo) as more:
        response = admin.get(f"{SITE}/admin/audit", query_string={"action": "download"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "3 entries" in page
    assert f"Downloaded the source data of {ids['period_name']} (XLSX)" in page
    assert "<strong>Format</strong>: xlsx" in page
    assert len(more) == len(few)
