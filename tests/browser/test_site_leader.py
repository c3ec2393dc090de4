"""A Site Leader reads the progress board of their local site and assigns its cases."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _assert_none, _problems

pytestmark = pytest.mark.browser
CQI = "/demo/cqi"


def _open_cases_menu_link(page, name: str) -> None:
    nav = page.get_by_role("navigation", name="Primary")
    nav.get_by_role("button", name="Cases", exact=True).click()
    nav.get_by_role("link", name=name, exact=True).click()


def test_the_leader_follows_the_board_to_the_cases_and_assigns_one(both_regions, people):
    leader = people("leader")
    leader.goto(f"{CQI}/")
    _open_cases_menu_link(leader, "Progress board")
    expect(leader.get_by_role("heading", level=1, name="Progress board")).to_be_visible()
    _assert_none(_problems(leader))
    board = leader.get_by_role("table", name=re.compile("Cases per status and local site"))
    expect(board.get_by_role("columnheader", name="Adams County")).to_be_visible()
    expect(board.get_by_role("columnheader", name="Clark County")).to_have_count(0)
    # A count opens the list of the cases it counts.
    board.get_by_role("link", name="1 in progress, Adams County").click()
    expect(leader).to_have_url(re.compile(r"/demo/cqi/cases\?.*status=in_progress"))
    cases = leader.get_by_role("table", name="Cases")
    expect(cases.get_by_role("link", name="FC-CQI-101")).to_be_visible()

    _open_cases_menu_link(leader, "Assign cases")
    expect(leader.get_by_role("heading", level=1, name="Assign cases")).to_be_visible()
    _assert_none(_problems(leader))
    # Sending no reviewer shows the error summary, and the page stays accessible.
    leader.get_by_role("button", name="Assign case FC-CQI-101").click()
    expect(leader.get_by_role("heading", name="There is a problem")).to_be_visible()
    _assert_none(_problems(leader))
    leader.get_by_label("Reviewer for case FC-CQI-101").select_option(label="Robin Reviewer")
    leader.get_by_label("Beside or instead of").select_option(label="Instead of Riley Reviewer")
    leader.get_by_role("button", name="Assign case FC-CQI-101").click()
    expect(leader.get_by_text("Case FC-CQI-101 is now assigned to Robin Reviewer.")).to_be_visible()
    row = leader.get_by_role("row", name=re.compile("FC-CQI-101"))
    expect(row.get_by_role("cell", name="Robin Reviewer", exact=True)).to_be_visible()
    _assert_none(_problems(leader))
