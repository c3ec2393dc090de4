"""Sub-items (12A, 12B, 12C) as questions beside their item: counted, listed, named."""

from collections import Counter

from sqlalchemy import select

from review_app.analysis import queries
from review_app.analysis.filters import case_conditions
from review_app.extensions import db
from review_app.periods.queries import periods
from review_app.ratings.models import ItemReview, SubitemRating
from review_app.sites.queries import site_by_slug
from tests.analysis.test_table import SITE, _asked, _finalized_cases

RATED = ("strength", "ani", "not_applicable")


def _long_way(subitem_id: str) -> tuple[Counter, dict[str, list[str]]]:
    """Count (item 12 rating, sub-item rating) over the period's finalized cases in Python,
    and list the case numbers under each sub-item rating."""
    site = site_by_slug("demo", "cqi")
    period_id = periods(site)[0].id
    cases = [case for case in _finalized_cases(site.id) if case.period_id == period_id]
    items = {
        review.case_id: review.effective_rating
        for review in db.session.scalars(select(ItemReview).where(ItemReview.item_id == "12"))
    }
    subs = {
        rating.case_id: rating.rating
        for rating in db.session.scalars(
            select(SubitemRating).where(SubitemRating.subitem_id == subitem_id)
        )
    }
    found: Counter = Counter()
    listed: dict[str, list[str]] = {}
    for case in cases:
        item = items.get(case.id)
        sub = subs.get(case.id)
        sub_code = sub if sub in RATED else "-"
        found[(item if item in RATED else "-", sub_code)] += 1
        listed.setdefault(sub_code, []).append(case.case_number)
    return found, listed


def test_a_subitem_is_a_question_beside_its_item(finalized, clients):
    with finalized.app_context():
        asked = _asked({"rows": "item:12", "columns": "subitem:12A"})
        assert asked.is_complete and not asked.problems
        assert asked.columns.label.startswith("Item 12A rating: ")
        assert [label for _, label in asked.columns.codes()] == [
            "Strength",
            "Area Needing Improvement",
            "Not Applicable",
            "No answer",
        ]
    page = clients("admin").get(f"{SITE}/analysis").get_data(as_text=True)
    item, sub_a, sub_c = (
        page.find('value="item:12"'),
        page.find('value="subitem:12A"'),
        page.find('value="subitem:12C"'),
    )
    assert 0 < item < sub_a < sub_c  # offered after their item


def test_subitem_counts_match_the_long_way(finalized):
    with finalized.app_context():
        for subitem_id in ("12A", "12B", "12C"):
            asked = _asked({"rows": "item:12", "columns": f"subitem:{subitem_id}"})
            conditions = case_conditions(asked.scope, asked.when, asked.chosen)
            table = queries.crosstab(asked.rows, asked.columns, conditions)
            want, _ = _long_way(subitem_id)
            assert {key: n for key, n in table.cells.items() if n} == dict(want)
        # The demo's ratings reach more than one answer: the count is not trivial.
        assert len({sub for _, sub in want}) > 1


def test_a_subitem_cell_lists_exactly_its_cases(finalized, clients):
    client = clients("qa")
    with finalized.app_context():
        _, listed = _long_way("12B")
    assert listed.get("strength") and listed.get("ani")
    for code in ("strength", "ani"):
        page = client.get(
            f"{SITE}/analysis/cases?rows=subitem:12B&columns=case:case_type&row={code}"
        ).get_data(as_text=True)
        for number in listed[code]:
            assert f">{number}</a>" in page
        others = [n for key, numbers in listed.items() if key != code for n in numbers]
        for number in others:
            assert f">{number}</a>" not in page
