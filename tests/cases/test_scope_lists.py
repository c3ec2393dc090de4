"""Case lists of a person limited to a region show that region's cases only."""

import re

from tests.core.test_query_counts import statements_per_page
from tests.scoped import NORTH, SOUTH, case_id, limit_to_region, local_site_id, numbers_in

SITE = "/demo/cqi"


def _shown(page: str) -> int:
    return int(re.search(r'<p role="status">(\d+) case', page).group(1))


def test_the_case_list_holds_the_regions_cases_only(clients, both_regions):
    north, south = numbers_in(both_regions, NORTH), numbers_in(both_regions, SOUTH)
    assert north and south
    limited = clients("qa_north").get(f"{SITE}/cases").get_data(as_text=True)
    whole = clients("qa").get(f"{SITE}/cases").get_data(as_text=True)
    assert all(number in limited for number in north)
    assert not [number for number in south if number in limited]
    assert all(number in whole for number in north + south)
    assert _shown(limited) == len(north) and _shown(whole) == len(north) + len(south)


def test_the_local_site_filter_offers_the_regions_local_sites_only(demo, clients, both_regions):
    limited = clients("qa_north").get(f"{SITE}/cases").get_data(as_text=True)
    whole = clients("qa").get(f"{SITE}/cases").get_data(as_text=True)
    for name in NORTH:
        assert f">{name}</option>" in limited
    for name in SOUTH:
        assert name not in limited
        assert f">{name}</option>" in whole
    clark = local_site_id(demo, "Clark County")
    asked = clients("qa_north").get(f"{SITE}/cases?local_site={clark}").get_data(as_text=True)
    assert _shown(asked) == 0
    assert not [n for n in both_regions["Clark County"] if n in asked]


def test_sorting_and_paging_stay_inside_the_region(clients, both_regions):
    south = numbers_in(both_regions, SOUTH)
    for query in ("sort=local_site&dir=desc", "sort=status", "sort=period&page=1", "page=2"):
        page = clients("qa_north").get(f"{SITE}/cases?{query}").get_data(as_text=True)
        assert not [number for number in south if number in page], query


def test_my_cases_of_a_limited_reviewer_hold_their_region_only(demo, clients, both_regions):
    # both_regions assigns "reviewer" a case in Clark and one in Dawson County.
    south = numbers_in(both_regions, SOUTH)
    whole = clients("reviewer").get(f"{SITE}/cases/mine").get_data(as_text=True)
    assert [number for number in south if number in whole]
    limit_to_region(demo, "reviewer")
    limited = clients("reviewer2").get(f"{SITE}/cases/mine")  # another person is unchanged
    assert limited.status_code == 200
    page = clients("reviewer").get(f"{SITE}/cases/mine").get_data(as_text=True)
    assert not [number for number in south if number in page]
    assert "Clark County" not in page


def test_a_case_outside_the_region_answers_as_if_it_did_not_exist(demo, clients, both_regions):
    clark = case_id(demo, both_regions["Clark County"][0])
    for url in (f"{SITE}/cases/{clark}", f"{SITE}/cases/{clark}/history"):
        assert clients("qa_north").get(url).status_code == 404, url
        assert clients("qa").get(url).status_code == 200, url


def test_a_limited_person_costs_at_most_one_statement_more(demo, clients, both_regions):
    urls = [f"{SITE}/cases", f"{SITE}/qa", f"{SITE}/inbox", f"{SITE}/interviews", f"{SITE}/"]
    for url in urls:  # warm up what is kept per process
        clients("qa").get(url), clients("qa_north").get(url)
    whole = statements_per_page(demo, clients("qa"), urls)
    limited = statements_per_page(demo, clients("qa_north"), urls)
    assert all(n <= w + 1 for n, w in zip(limited, whole, strict=True)), (limited, whole)
