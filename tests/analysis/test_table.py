"""The analysis table: counts by two questions, worked out the long way; one statement."""

from collections import Counter
from datetime import date, datetime

from sqlalchemy import select, update

from review_app.analysis import queries
from review_app.analysis.filters import When, case_conditions
from review_app.analysis.forms import read_asked
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.extensions import db
from review_app.performance.queries import reviewer_choices
from review_app.performance.windows import Window
from review_app.periods.queries import periods
from review_app.ratings.models import Answer, ItemReview
from review_app.sites.queries import local_sites, site_by_slug
from tests.core.test_query_counts import counted
from tests.performance.conftest import add_finalized

SITE = "/demo/cqi"


def _asked(args: dict):
    site = site_by_slug("demo", "cqi")
    return read_asked(site, periods(site), local_sites(site), reviewer_choices(site.id), args)


def _finalized_cases(site_id: int) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case).where(
                Case.site_id == site_id, Case.status == CaseStatus.FINALIZED, ~Case.is_key
            )
        )
    )


def _long_way(site_id: int, item_id: str, question_id: str) -> Counter:
    """Count (item rating, answer) over the period's finalized cases in Python."""
    period_id = periods(site_by_slug("demo", "cqi"))[0].id
    cases = [case for case in _finalized_cases(site_id) if case.period_id == period_id]
    ratings = {
        review.case_id: review.effective_rating
        for review in db.session.scalars(select(ItemReview).where(ItemReview.item_id == item_id))
    }
    answers = {
        answer.case_id: answer.value
        for answer in db.session.scalars(select(Answer).where(Answer.question_id == question_id))
    }
    found: Counter = Counter()
    for case in cases:
        rating = ratings.get(case.id)
        answer = answers.get(case.id)
        found[
            (
                rating if rating in ("strength", "ani", "not_applicable") else "-",
                answer if answer in ("yes", "no", "na") else "-",
            )
        ] += 1
    return found


def test_the_table_counts_every_case_once_by_both_answers(finalized):
    with finalized.app_context():
        asked = _asked({"rows": "item:2", "columns": "answer:2A"})
        assert asked.is_complete and not asked.problems
        table = queries.crosstab(
            asked.rows, asked.columns, case_conditions(asked.scope, asked.when, asked.chosen)
        )
        want = _long_way(asked.scope.site.id, "2", "2A")
        assert {key: n for key, n in table.cells.items() if n} == dict(want)
        assert table.total == sum(want.values()) >= 6
        row = next(iter(want))[0]
        shares = [table.row_percent(row, column) or 0 for column, _ in asked.columns.codes()]
        assert round(sum(shares), 6) == 100.0
        assert [label for _, label in asked.rows.codes()][-1] == "No answer"


def test_the_table_is_one_grouped_statement(finalized):
    with finalized.app_context():
        for args in (
            {"rows": "item:4", "columns": "case:local_site", "type": "foster_care"},
            {"rows": "case:race", "columns": "case:age", "sex": "male", "hispanic": "no"},
            {"rows": "subitem:12A", "columns": "subitem:12B", "type": "foster_care"},
            {"rows": "boxes:4C1", "columns": "column:4-placements:setting"},
        ):
            asked = _asked(args)
            conditions = case_conditions(asked.scope, asked.when, asked.chosen)
            with counted(finalized, fresh_pages=False) as statements:
                table = queries.crosstab(asked.rows, asked.columns, conditions)
            assert len(statements) == 1 and "GROUP BY" in statements[0]
            assert table.total > 0


def test_a_window_counts_the_cases_finalized_in_it_across_periods(finalized):
    with finalized.app_context():
        site = site_by_slug("demo", "cqi")
        ids = sorted(case.id for case in _finalized_cases(site.id))
        early = ids[:3]
        db.session.execute(
            update(Case).where(Case.id.in_(ids)).values(finalized_at=datetime(2026, 5, 2))
        )
        db.session.execute(
            update(Case).where(Case.id.in_(early)).values(finalized_at=datetime(2026, 1, 31, 23))
        )
        asked = _asked(
            {
                "rows": "case:case_type",
                "columns": "case:period",
                "scope": "window",
                "from": "2026-01",
                "to": "2026-01",
            }
        )
        assert asked.when == When(window=Window(date(2026, 1, 1), date(2026, 2, 1)))
        table = queries.crosstab(
            asked.rows, asked.columns, case_conditions(asked.scope, asked.when, asked.chosen)
        )
        assert table.total == 3
        assert asked.args["from"] == "2026-01" and asked.args["to"] == "2026-01"


def test_the_page_sends_the_same_statements_however_many_cases(finalized, clients):
    client = clients("admin")
    demographic = "rows=case:race&columns=case:age&sex=female&age=10-14"
    urls = [
        f"{SITE}/analysis?rows=item:4&columns=answer:2A",
        f"{SITE}/analysis/cases?rows=item:4&columns=answer:2A&row=-",
        f"{SITE}/analysis?{demographic}",
        f"{SITE}/analysis/cases?{demographic}&row=white",
        f"{SITE}/analysis/table.csv?{demographic}",
        f"{SITE}/analysis?rows=item:12&columns=subitem:12C",
        f"{SITE}/analysis/cases?rows=item:12&columns=subitem:12C&column=strength",
        f"{SITE}/analysis?rows=boxes:4C1&columns=column:4-placements:setting",
        f"{SITE}/analysis/cases?rows=boxes:4C1&columns=column:4-placements:setting&row=-",
        f"{SITE}/analysis/table.csv?rows=column:4-placements:setting&columns=case:race",
    ]

    def count() -> list[int]:
        found = []
        for each in urls:
            with counted(finalized) as statements:
                assert client.get(each).status_code == 200
            found.append(len(statements))
        return found

    before = count()
    add_finalized(finalized, 4, start=60)
    assert count() == before


def test_a_cell_links_to_exactly_its_cases(finalized, clients):
    client = clients("qa")
    html = client.get(f"{SITE}/analysis?rows=case:case_type&columns=item:1").get_data(as_text=True)
    assert "<caption>" in html and 'scope="row"' in html and "No answer" in html
    with finalized.app_context():
        site = site_by_slug("demo", "cqi")
        period_id = periods(site)[0].id
        foster = sorted(
            case.case_number
            for case in _finalized_cases(site.id)
            if case.case_type == "foster_care" and case.period_id == period_id
        )
    assert "/analysis/cases?rows=case:case_type&amp;columns=item:1&amp;period=" in html
    page = client.get(
        f"{SITE}/analysis/cases?rows=case:case_type&columns=item:1&row=foster_care"
    ).get_data(as_text=True)
    for number in foster:
        assert f">{number}</a>" in page
    assert f"{len(foster)} case" in page and "/cases/" in page
