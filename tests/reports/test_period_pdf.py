"""One PDF with every finalized case of a review period, made by the job queue in parts."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from review_app.extensions import db
from review_app.periods.models import ReviewPeriod
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.reports.conftest import SITE, cqi_period_id, make_period_pdf
from tests.reports.test_case_summary import _pdf_html


def _client(app, who: str):
    client = app.test_client()
    login(client, who)
    return client


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_a_period_without_finalized_cases_gives_a_pdf_saying_so(demo, monkeypatch):
    made = _pdf_html(monkeypatch)
    page, response = make_period_pdf(_client(demo, "admin"), cqi_period_id(demo))
    assert "0 cases" in page.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=2026-27-review-finalized-cases.pdf"
    )
    (html,) = made
    assert "No case of this review period is finalized yet" in html
    assert "summary-facts" not in html
    assert len(_pages(response.data)) == 1


def test_every_finalized_case_starts_on_its_own_page_after_a_cover(demo, finalized, monkeypatch):
    finalized(3)
    made = _pdf_html(monkeypatch)
    page, response = make_period_pdf(_client(demo, "qa"), cqi_period_id(demo))
    assert "3 of 3 cases" in page.get_data(as_text=True)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    # Each case rendered on its own; the cover lists the three (and only the finalized
    # cases: the demo's others are not). The parts are joined in order.
    cover = next(html for html in made if "Cases in this document" in html)
    cases = [html for html in made if html is not cover]
    for number in ("FIN-1", "FIN-2", "FIN-3"):
        assert f"<td>{number}</td>" in cover
    assert "summary-facts" not in cover
    assert "FC-CQI-101" not in "".join(made)
    assert [html.count('<section class="summary-facts"') for html in cases] == [1, 1, 1]
    assert sum(html.count("QA override</strong>") for html in cases) == 3
    pages = _pages(response.data)
    starts = [
        number
        for number in ("FIN-1", "FIN-2", "FIN-3")
        for text in pages
        if f"\nCase {number}\n" in text
    ]
    assert starts == ["FIN-1", "FIN-2", "FIN-3"]
    assert "Finalized cases\n3" in pages[0]
    assert "Case FIN-1" not in pages[0]  # the cover stands alone on its page


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 303), ("qa", 303), ("observer", 303), ("reviewer", 403), ("outsider", 404)],
)
def test_who_may_make_the_pdf_of_a_period(demo, who, status):
    url = f"{SITE}/reports/periods/{cqi_period_id(demo)}/finalized-pdf"
    assert _client(demo, who).post(url).status_code == status


def test_a_period_of_another_site_is_not_found(demo):
    with demo.app_context():
        cfsr = site_by_slug("demo", "cfsr")
        period_id = db.session.scalar(
            select(ReviewPeriod.id).where(ReviewPeriod.site_id == cfsr.id)
        )
    client = _client(demo, "admin")
    assert client.post(f"{SITE}/reports/periods/{period_id}/finalized-pdf").status_code == 404
    assert client.post(f"{SITE}/reports/periods/99999999/finalized-pdf").status_code == 404


def test_the_reports_page_counts_finalized_cases_and_offers_the_pdf(demo, finalized):
    period_id = cqi_period_id(demo)
    client = _client(demo, "observer")
    page = client.get(f"{SITE}/reports").get_data(as_text=True)
    assert "None finalized yet" in page
    assert "finalized-pdf" not in page
    finalized(2)
    page = client.get(f"{SITE}/reports").get_data(as_text=True)
    assert f'action="{SITE}/reports/periods/{period_id}/finalized-pdf"' in page
    assert "Make the PDF" in page and "(2 cases)" in page
    home = client.get(f"{SITE}/").get_data(as_text=True)
    assert f'href="{SITE}/reports"' in home
