"""The case rating summary: what it shows, to whom, and the same body as a page and as PDF."""

import io

import pytest
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import select

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.reports import queries
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.ratings.test_item_pages import _case_of
from tests.reports.conftest import OVERRIDE_REASON, SITE, cqi_period_id


def _summary(app, case_id: int) -> queries.CaseSummary:
    with app.app_context():
        from review_app.cases.queries import case_with_details

        return queries.case_summary(case_with_details(case_id))


def _new_case(app, number: str, case_type: str) -> int:
    """Add an unrated case, assigned to "reviewer", to the demo CQI period."""
    from datetime import date

    from review_app.accounts.models import User
    from review_app.cases.facts import CaseFacts
    from review_app.cases.operations import create_case
    from review_app.periods.models import ReviewPeriod

    with app.app_context():
        period = db.session.get(ReviewPeriod, cqi_period_id(app))
        reviewer = db.session.scalar(select(User).where(User.username == "reviewer"))
        facts = CaseFacts(
            number,
            case_type,
            period.local_sites[0],
            "Y.Y.",
            pur_start=date(2026, 4, 1) if period.pur_start is None else None,
            reviewers=[reviewer],
        )
        case = create_case(None, period, facts)
        db.session.commit()
        return case.id


def _page(app, who: str, url: str):
    client = app.test_client()
    login(client, who)
    return client.get(url)


def _pdf_html(monkeypatch) -> list[str]:
    """Keep the HTML each PDF is made from (the PDF itself is still made)."""
    from review_app.core import pdf

    made = []
    real = pdf.html_to_pdf

    def keep(html: str) -> bytes:
        made.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", keep)
    return made


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_summary_shows_every_rating_rationale_narrative_and_flags_the_override(demo, finalized):
    (case_id,) = finalized(1)
    summary = _summary(demo, case_id)
    page = _page(demo, "qa", f"{SITE}/reports/cases/{case_id}/summary").get_data(as_text=True)

    assert "<h1" in page and "Case rating summary: case FIN-1" in page
    for item in summary.instrument.definition.items:
        assert f"Item {item.number}: {escape(item.title)}" in page
    for outcome in summary.instrument.definition.outcomes:
        assert f"{escape(outcome.label)}: {escape(outcome.statement)}" in page
    assert "Status</th><td>Finalized, since" in page
    assert "Submitted for QA</th><td>20" in page and "Finalized</th><td>20" in page
    assert "Riley Reviewer" in page
    # The override: flagged in words, with the calculated rating, the reason, who and when.
    overridden = [i for i, r in summary.ratings.items.items() if r.override]
    assert len(overridden) == 1
    result = summary.ratings.items[overridden[0]]
    assert "QA override</strong>" in page
    assert "1 item rating overridden by QA" in page
    labels = {"strength": "Strength", "ani": "Area Needing Improvement"}
    assert (
        f"The rating that counts is {labels[result.override]}; "
        f"the calculated rating is {labels[result.rating]}." in page
    )
    assert OVERRIDE_REASON in page
    assert "Overridden by Quinn Quality on 20" in page
    # Rationales, and every "No" with its question text and narrative.
    assert page.count("Rated from the case file and interviews.") >= 10
    narratives = [
        n for item in summary.instrument.definition.items for n in summary.narratives(item)
    ]
    assert any(n.value == "no" for n in narratives)
    for n in narratives:
        number = summary.instrument.question_prefix(n.question.id)
        assert f"{number}{escape(n.question.text)}" in page
    assert page.count("Explained in the case file and the caseworker interview.") == len(narratives)
    assert "Download PDF" in page
    assert f'href="{SITE}/reports/cases/{case_id}/summary.pdf"' in page


def test_the_page_is_built_for_assistive_technology(demo, finalized):
    (case_id,) = finalized(1)
    page = _page(demo, "observer", f"{SITE}/reports/cases/{case_id}/summary").get_data(as_text=True)
    assert page.count("<h1") == 1
    assert page.count("<table") == page.count("<caption")
    assert 'scope="col"' in page and 'scope="row"' in page
    assert "Outcome rating: <strong>" in page  # ratings in words, not colour


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("reviewer", 200),  # assigned
        ("reviewer2", 403),  # not assigned
        ("qa", 200),
        ("admin", 200),
        ("observer", 200),
        ("outsider", 404),
    ],
)
@pytest.mark.parametrize("suffix", ["summary", "summary.pdf"])
def test_who_reads_a_case_summary(demo, finalized, who, status, suffix):
    (case_id,) = finalized(1)
    response = _page(demo, who, f"{SITE}/reports/cases/{case_id}/{suffix}")
    assert response.status_code == status
    if status == 200 and suffix == "summary":
        assert "Case rating summary: case FIN-1" in response.get_data(as_text=True)


def test_a_case_of_another_site_is_not_found(demo):
    with demo.app_context():
        cfsr_case = db.session.scalar(
            select(Case.id).where(Case.site_id == site_by_slug("demo", "cfsr").id)
        )
    for suffix in ("summary", "summary.pdf"):
        assert _page(demo, "admin", f"{SITE}/reports/cases/{cfsr_case}/{suffix}").status_code == 404
    assert _page(demo, "admin", f"{SITE}/reports/cases/99999999/summary").status_code == 404


def test_unrated_and_not_applicable_items_say_so(demo):
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    page = _page(demo, "reviewer", f"{SITE}/reports/cases/{case_id}/summary").get_data(as_text=True)
    assert "Not yet rated" in page
    assert "Not submitted yet" in page and "Not finalized" in page
    assert "QA overrides</th><td>None" in page
    in_home = _new_case(demo, "IH-NEW-1", "in_home")
    page = _page(demo, "admin", f"{SITE}/reports/cases/{in_home}/summary").get_data(as_text=True)
    # Items 4 to 11 are for foster care only.
    assert page.count("Rating: <strong>Not Applicable</strong>") >= 8
    assert page.count("Not applicable to this case") >= 8


def test_an_eliminated_case_gives_its_reason(demo):
    from review_app.accounts.models import User
    from review_app.qa.operations import transition

    case_id = _case_of(demo, "reviewer")
    with demo.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        transition(
            admin,
            db.session.get(Case, case_id),
            "eliminate",
            reason_code="other",
            reason="The family moved abroad.",
        )
        db.session.commit()
    page = _page(demo, "observer", f"{SITE}/reports/cases/{case_id}/summary").get_data(as_text=True)
    assert "Eliminated from the sample" in page
    assert "The family moved abroad." in page


def test_the_case_page_links_to_its_summary(demo):
    case_id = _case_of(demo, "reviewer")
    page = _page(demo, "reviewer", f"{SITE}/cases/{case_id}").get_data(as_text=True)
    assert f'href="{SITE}/reports/cases/{case_id}/summary"' in page


def test_the_pdf_is_an_attachment_with_the_same_body_as_the_page(demo, finalized, monkeypatch):
    (case_id,) = finalized(1)
    made = _pdf_html(monkeypatch)
    client = demo.test_client()
    login(client, "qa")
    response = client.get(f"{SITE}/reports/cases/{case_id}/summary.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="case-FIN-1-rating-summary.pdf"'
    )
    assert response.data.startswith(b"%PDF")
    page = client.get(f"{SITE}/reports/cases/{case_id}/summary").get_data(as_text=True)
    (html,) = made
    body = page[page.index('<section class="summary-facts"') : page.rindex("</section>")]
    assert body in html
    assert "QA override" in _text(response.data)


def test_written_text_keeps_its_lines_and_stays_text(demo, finalized, monkeypatch):
    from review_app.ratings.models import ItemReview

    (case_id,) = finalized(1)
    with demo.app_context():
        review = db.session.scalar(
            select(ItemReview).where(ItemReview.case_id == case_id, ItemReview.item_id == "4")
        )
        review.rationale = 'First line <img src="http://10.0.0.1/x.png">\nSecond line'
        db.session.commit()
    made = _pdf_html(monkeypatch)
    client = demo.test_client()
    login(client, "admin")
    page = client.get(f"{SITE}/reports/cases/{case_id}/summary").get_data(as_text=True)
    assert client.get(f"{SITE}/reports/cases/{case_id}/summary.pdf").status_code == 200
    for html in (page, made[0]):
        assert "First line &lt;img src=&#34;http://10.0.0.1/x.png&#34;&gt;<br>Second line" in html
        assert '<img src="http://10.0.0.1' not in html
