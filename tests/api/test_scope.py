"""The API answers a token of a person limited to a region with their region's data only;
a case outside it answers 404, as one that does not exist."""

from tests.api.test_api import API, get, make_token
from tests.scoped import NORTH, SOUTH, a_case_id, case_numbers, local_site_id, show_every_figure


def test_a_limited_token_lists_and_reads_only_its_regions_cases(demo, both_regions):
    client = demo.test_client()
    mine, everyone = make_token(demo, "qa_north"), make_token(demo, "qa")
    north = case_numbers(demo, NORTH, finalized=False)
    south = case_numbers(demo, SOUTH, finalized=False)
    listed = get(client, f"{API}/cases", mine).get_json()
    assert {case["case_number"] for case in listed["cases"]} == north
    assert listed["total"] == len(north)
    whole = get(client, f"{API}/cases", everyone).get_json()
    assert {case["case_number"] for case in whole["cases"]} == north | south
    clark = a_case_id(demo, "Clark County")
    outside = get(client, f"{API}/cases/{clark}", mine)
    missing = get(client, f"{API}/cases/999999", mine)
    assert outside.status_code == missing.status_code == 404
    assert outside.get_json() == missing.get_json()
    assert get(client, f"{API}/cases/{clark}", everyone).status_code == 200
    adams = a_case_id(demo, "Adams County")
    assert get(client, f"{API}/cases/{adams}", mine).status_code == 200
    place = local_site_id(demo, "Clark County")
    refused = get(client, f"{API}/cases?local_site={place}", mine)
    assert refused.status_code == 400 and "not one of this site's" in refused.get_json()["error"]


def test_a_limited_tokens_figures_count_its_region(demo, both_regions):
    show_every_figure(demo)
    client = demo.test_client()
    whole = get(client, f"{API}/performance", make_token(demo, "qa")).get_json()
    mine = get(client, f"{API}/performance", make_token(demo, "qa_north")).get_json()
    assert (whole["cases"], mine["cases"]) == (8, 4)
    place = local_site_id(demo, "Dawson County")
    asked = get(client, f"{API}/performance?local_site={place}", make_token(demo, "qa_north"))
    assert asked.status_code == 400
