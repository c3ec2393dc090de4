"""The performance figures, breakdowns, drill-downs, downloads and trends of a person
limited to a region count only their region's cases (core/scope.py)."""

import re

from review_app.core.scope import acting_in, scope_of
from review_app.extensions import db
from review_app.performance import cache as figure_cache
from review_app.performance.queries import Filters, performance
from review_app.periods.queries import periods
from review_app.sites.queries import site_by_slug
from tests.core.test_query_counts import counted
from tests.performance.conftest import add_finalized
from tests.scoped import (
    NORTH,
    SCOPE_NOTE,
    SITE,
    SOUTH,
    case_numbers,
    csv_numbers,
    local_site_id,
    number_in,
    numbers_found,
    pdf_text,
    show_every_figure,
    user,
    xlsx_numbers,
)


def _counted(html: str) -> int:
    return number_in(html, r"(\d+)\s+cases?\s+counted")


def test_the_figures_count_only_the_region_of_a_limited_person(demo, both_regions, clients):
    show_every_figure(demo)
    # The whole site's figures are computed first: kept figures are never handed to
    # someone of another scope.
    whole = clients("qa").get(f"{SITE}/performance").get_data(as_text=True)
    mine = clients("qa_north").get(f"{SITE}/performance").get_data(as_text=True)
    assert _counted(whole) == 8 and _counted(mine) == 4
    assert SCOPE_NOTE in mine and SCOPE_NOTE not in whole
    again = clients("qa").get(f"{SITE}/performance").get_data(as_text=True)
    assert _counted(again) == 8
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        filters = Filters(period=periods(site)[-1])
        everything = performance(site.id, filters)
        with acting_in(scope_of(user("qa_north"), site)):
            north = performance(site.id, filters)
        db.session.rollback()
    assert (everything.cases, north.cases) == (8, 4)
    for key, split in north.outcomes.items():
        assert split.overall.applicable <= everything.outcomes[key].overall.applicable


def test_the_cases_behind_a_figure_and_their_downloads_are_the_regions(demo, both_regions, clients):
    show_every_figure(demo)
    north, south = case_numbers(demo, NORTH), case_numbers(demo, SOUTH)
    assert len(north) == len(south) == 4
    qa, qa_north = clients("qa"), clients("qa_north")
    listed = numbers_found(qa_north.get(f"{SITE}/performance/cases").get_data(as_text=True))
    assert listed == north
    assert (
        numbers_found(qa.get(f"{SITE}/performance/cases").get_data(as_text=True)) == north | south
    )
    assert csv_numbers(qa_north.get(f"{SITE}/performance/cases.csv").data) == north
    assert xlsx_numbers(qa_north.get(f"{SITE}/performance/cases.xlsx").data) == north
    assert csv_numbers(qa.get(f"{SITE}/performance/cases.csv").data) == north | south
    # A local site outside the region is not one to choose: it counts nothing of it.
    clark = local_site_id(demo, "Clark County")
    asked = qa_north.get(f"{SITE}/performance/cases?local_site={clark}").get_data(as_text=True)
    assert not numbers_found(asked) & south


def test_the_breakdowns_show_only_the_regions_local_sites(demo, both_regions, clients):
    show_every_figure(demo)
    mine = clients("qa_north").get(f"{SITE}/performance/by/local-sites").get_data(as_text=True)
    whole = clients("qa").get(f"{SITE}/performance/by/local-sites").get_data(as_text=True)
    for place in SOUTH:
        assert place not in mine and place in whole
    for place in NORTH:
        assert place in mine
    assert SCOPE_NOTE in mine


def test_the_pdf_of_the_figures_counts_the_region(demo, both_regions, clients):
    show_every_figure(demo)
    mine = pdf_text(clients("qa_north").get(f"{SITE}/performance/figures.pdf").data)
    whole = pdf_text(clients("qa").get(f"{SITE}/performance/figures.pdf").data)
    assert "Counted: 4 cases" in mine and "Northern region" in mine
    assert "Counted: 8 cases" in whole and "Northern region" not in whole


def test_the_trends_and_the_cases_behind_a_point_are_the_regions(demo, both_regions, clients):
    show_every_figure(demo)
    north, south = case_numbers(demo, NORTH), case_numbers(demo, SOUTH)
    qa, qa_north = clients("qa"), clients("qa_north")
    mine = qa_north.get(f"{SITE}/performance/trends?figure=outcome:WB1").get_data(as_text=True)
    assert SCOPE_NOTE in mine and "every local site of Northern region" in mine
    links = re.findall(r'href="([^"]*/performance/trends/cases\?[^"]+)"', mine)
    assert links
    url = links[-1].replace("&amp;", "&")
    behind_mine = numbers_found(qa_north.get(url).get_data(as_text=True))
    behind_all = numbers_found(qa.get(url).get_data(as_text=True))
    assert behind_mine and behind_mine <= north
    assert behind_all & south and behind_mine == behind_all & north


def test_a_small_region_s_figures_stay_hidden_under_the_minimum(demo, both_regions, clients):
    """The site's small-cell minimum (5 here) applies to a region's figures as to the site's."""
    mine = clients("qa_north").get(f"{SITE}/performance").get_data(as_text=True)
    whole = clients("qa").get(f"{SITE}/performance").get_data(as_text=True)
    assert re.search(r"fewer than 5\s+cases\s+counted", mine)
    assert _counted(whole) == 8


PAGES = [
    "/performance",
    "/performance/by/local-sites",
    "/performance/by/reviewers",
    "/performance/cases",
    "/performance/trends",
    "/quality",
    "/quality/agreement",
    "/analysis?rows=item:4&columns=case:case_type",
    "/reports",
    "/exports",
]


def test_a_limited_persons_pages_send_the_same_statements_however_many_cases(
    demo, both_regions, clients
):
    client = clients("qa_north")

    def statements() -> list[int]:
        found = []
        for page in PAGES:
            client.get(f"{SITE}{page}")  # warm up what is kept per process
            figure_cache.clear()
            with counted(demo) as sent:
                assert client.get(f"{SITE}{page}").status_code == 200
            found.append(len(sent))
        return found

    small = statements()
    add_finalized(demo, 6, start=60)
    assert statements() == small
