"""Breakdowns hide a second figure where one small one could be worked back from the site's."""

import re

from review_app.performance import privacy, queries
from review_app.performance.queries import Breakdown, Figure, Split
from review_app.periods.queries import periods
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.performance.conftest import SITE

PAGES = {
    "local_site": "local-sites",
    "reviewer": "reviewers",
    "age": "age-groups",
    "sex": "sexes",
    "hispanic": "ethnicity",
}


def _row(key, cases: int, applicable: int) -> Breakdown:
    split = Split(overall=Figure(applicable=applicable, hits=applicable // 2))
    return Breakdown(key, str(key), cases, {"S1": split}, {"1": split}, {})


def test_one_small_count_hides_the_smallest_other_above_zero():
    counts = {"a": 3, "b": 0, "c": 9, "d": 7, "e": 12}
    assert privacy.complementary(counts, 5) == {"a", "d"}
    assert privacy.complementary({"a": 6, "b": 0, "c": 9}, 5) == set()
    assert privacy.complementary({"a": 2, "b": 4, "c": 9}, 5) == {"a", "b"}
    # Nothing else to hide: the small one is the only count above zero.
    assert privacy.complementary({"a": 2, "b": 0}, 5) == {"a"}
    # Already hidden by another line counts as hidden here.
    assert privacy.complementary({"a": 2, "b": 8, "c": 9}, 5, {"c"}) == {"a", "c"}


def test_withheld_names_each_column_on_its_own():
    rows = [_row(1, 12, 3), _row(2, 6, 6), _row(None, 20, 20)]
    rows[0].items["1"] = Split(overall=Figure(applicable=10, hits=5))
    assert privacy.withheld(rows, 5) == {("outcome", "S1", 2)}
    # No small row: nothing withheld, whatever the counts.
    assert privacy.withheld([_row(1, 5, 5), _row(2, 9, 0)], 5) == set()


def _hidden_rows(page: str) -> list[str]:
    # A link's words for screen readers (which figure) follow in a hidden span.
    return re.findall(
        r"<a [^>]*>hidden(?:<span class=\"usa-sr-only\">[^<]*</span>)?</a>|<td>hidden</td>", page
    )


def test_breakdown_pages_hide_a_second_row_beside_one_small_row(finalized, client):
    login(client, "admin")
    found = 0
    with finalized.app_context():
        site = site_by_slug("demo", "cqi")
        filters = queries.Filters(period=periods(site)[-1])
        for dimension, slug in PAGES.items():
            rows = queries.breakdown(site.id, filters, dimension)
            withheld = privacy.withheld(rows, 5)
            columns: dict = {}
            for row in rows:
                for kind, figures in (("outcome", row.outcomes), ("item", row.items)):
                    for key, split in figures.items():
                        hides = privacy.is_hidden(split.overall.applicable, 5) or (
                            (kind, key, row.key) in withheld
                        )
                        column = columns.setdefault((kind, key), [])
                        column.append((hides, split.overall.applicable))
            # Every column now has no hidden row or at least two, unless the site's
            # figure is hidden too (its one row above zero is small).
            for column in columns.values():
                hidden = sum(hides for hides, _ in column)
                assert hidden != 1 or sum(n for _, n in column) < 5, dimension
            page = client.get(f"{SITE}/performance/by/{slug}").get_data(as_text=True)
            # The cases column is in both tables, outcomes and items.
            cases = sum(place[0] == "cases" for place in withheld)
            assert len(_hidden_rows(page)) == len(withheld) + cases, dimension
            if withheld:
                assert "is hidden so that a small one" in page
            found += len(withheld)
    assert found, "the demo data has a breakdown with one small row in a column"


def test_races_are_exempt_since_their_rows_do_not_add_up(finalized, client):
    login(client, "admin")
    page = client.get(f"{SITE}/performance/by/races").get_data(as_text=True)
    assert "fewer than 5" in page and not _hidden_rows(page)
    assert "is hidden so that a small one" not in page
