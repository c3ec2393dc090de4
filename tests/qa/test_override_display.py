"""An overridden rating reads the right way round wherever it is shown.

The rating that counts leads, flagged as a QA override in words (not by colour alone),
with its reason and the calculated rating beside it.
"""

import re

from sqlalchemy import select

from review_app.extensions import db
from review_app.ratings.models import ItemReview
from tests.qa.conftest import SITE, act

REASON = "The visit log shows gaps the answers missed."
LABELS = {"strength": "Strength", "ani": "Area Needing Improvement"}


def _override_item_1(demo, clients, case_id) -> tuple[str, str]:
    """Override item 1 at QA level 1; return (rating that counts, calculated rating)."""
    qa = clients("qa")
    act(clients("reviewer"), demo, case_id, "submit")
    act(qa, demo, case_id, "take")
    with demo.app_context():
        calculated = db.session.scalar(
            select(ItemReview.rating).where(
                ItemReview.case_id == case_id, ItemReview.item_id == "14"
            )
        )
    counts = "ani" if calculated == "strength" else "strength"
    response = qa.post(
        f"{SITE}/cases/{case_id}/items/14/override", data={"rating": counts, "reason": REASON}
    )
    assert response.status_code == 302
    return LABELS[counts], LABELS[calculated]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_item_page_leads_with_the_rating_that_counts(demo, clients, complete_case):
    counts, calculated = _override_item_1(demo, clients, complete_case)
    page = clients("observer").get(f"{SITE}/cases/{complete_case}/items/14").get_data(as_text=True)
    box = _text(page.split('class="usa-summary-box__body"', 1)[1].split("</div>", 1)[0])
    assert box.startswith(f"> Rating: {counts} QA override Set by Quinn Quality on ")
    assert f"Reason: {REASON}" in box
    assert box.index(counts) < box.index(f"Calculated from the answers: {calculated}")
    assert "Calculated rating:" not in box


def test_the_case_page_gives_the_override_its_reason(demo, clients, complete_case):
    counts, calculated = _override_item_1(demo, clients, complete_case)
    page = clients("observer").get(f"{SITE}/cases/{complete_case}").get_data(as_text=True)
    table = _text(page.split("<h2>Outcomes</h2>", 1)[1].split("</table>", 1)[0])
    assert f"14: {counts} QA override (calculated: {calculated}; reason: {REASON})" in table


def test_the_summary_table_puts_the_calculated_rating_beside_the_override(
    demo, clients, complete_case
):
    counts, calculated = _override_item_1(demo, clients, complete_case)
    page = clients("qa").get(f"{SITE}/reports/cases/{complete_case}/summary").get_data(as_text=True)
    assert f"Item 14: {counts} QA override (calculated: {calculated})" in _text(page)
