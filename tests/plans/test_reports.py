"""The progress report: PDF and XLSX hold every figure of the page and the cases behind them."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.core.numbers import percent_text
from review_app.extensions import db
from tests.plans.conftest import ITEM, SITE, hand_count, make_plan
from tests.plans.test_plans import WINDOWS


def test_the_xlsx_report_holds_the_figures_and_their_cases(spread, clients):
    plan_id = make_plan(spread)
    response = clients("observer").get(f"{SITE}/plans/{plan_id}/progress.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Progress", "Cases"]
    rows = list(book["Progress"].iter_rows(values_only=True))
    item_rows = [row for row in rows[1:] if row[0].startswith("Item 12")]
    assert [row[2] for row in item_rows] == ["Jan 2025 to Dec 2025"] + [w.label for w in WINDOWS]
    for row, window in zip(item_rows[1:], WINDOWS, strict=True):
        items, _ = hand_count(spread, window.start, window.end)
        applicable, hits = items[ITEM]
        assert (row[4], row[5]) == (hits, applicable)
        assert row[3] == round(100 * hits / applicable, 1)
        assert row[7] == ("Goal met" if 100 * hits / applicable >= 50 else "Goal not met")
    cases = list(book["Cases"].iter_rows(values_only=True))
    for window in WINDOWS:
        items, _ = hand_count(spread, window.start, window.end)
        listed = [r for r in cases[1:] if r[0].startswith("Item 12") and r[1] == window.label]
        assert len(listed) == items[ITEM][0]
    with spread.app_context():
        entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        assert entry.action == "download.pip_progress" and entry.after["format"] == "xlsx"


def test_the_pdf_report_holds_the_figures_and_their_cases(spread, clients):
    plan_id = make_plan(spread)
    response = clients("qa").get(f"{SITE}/plans/{plan_id}/progress.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    assert "Progress of Test plan" in text
    items, _ = hand_count(spread, WINDOWS[2].start, WINDOWS[2].end)
    applicable, hits = items[ITEM]
    assert f"{percent_text(100 * hits / applicable)} ({hits} of {applicable} cases)" in text
    assert "Goal met" in text and "Goal not met" in text
    assert "The cases behind each figure" in text and "FC-CQI-" in text
