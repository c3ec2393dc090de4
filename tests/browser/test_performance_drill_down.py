"""The performance drill-down in the browser: a figure's percentage opens its cases."""

import re

import pytest
from playwright.sync_api import expect

from tests.performance.conftest import SITE, add_finalized

pytestmark = pytest.mark.browser


@pytest.fixture
def finalized(demo):
    add_finalized(demo, 6)
    return demo


def _follow_figure_to_a_case(page, table_caption: str, column: int) -> None:
    """Click the first percentage in ``column`` of a table, check the list, open its first case."""
    before = page.url
    table = page.locator("table", has=page.locator("caption", has_text=table_caption)).first
    figure = table.locator(f"tbody tr td:nth-child({column}) a").first
    href = figure.get_attribute("href")
    assert href and not href.startswith("?"), f"the figure links to the page itself: {href}"
    figure.click()
    page.wait_for_url(re.compile(r"/performance/cases\?"))
    assert page.url != before
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cases behind the figure")
    # The title names the figure as the heading does: tabs and history tell lists apart.
    heading = page.get_by_role("heading", level=1).inner_text()
    expect(page).to_have_title(re.compile("^" + re.escape(heading) + " – "))
    listed = page.locator("table tbody th[scope=row] a")
    expect(listed.first).to_be_visible()
    number = listed.first.inner_text()
    listed.first.click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def test_a_figure_on_the_performance_page_opens_its_cases_and_a_case(finalized, people):
    page = people("qa")
    page.goto(f"{SITE}/performance")
    # The "All cases" column of the item table: the share of cases rated Strength.
    _follow_figure_to_a_case(page, "rated Strength, per item", 2)
    page.goto(f"{SITE}/performance")
    _follow_figure_to_a_case(page, "Substantially Achieved, per outcome", 2)


def test_a_figure_on_the_local_site_breakdown_opens_its_cases_and_a_case(finalized, people):
    page = people("admin")
    page.goto(f"{SITE}/performance")
    page.get_by_role("link", name="Figures by local site").click()
    page.wait_for_url(re.compile(r"/performance/by/local-sites"))
    # Column 3 is the first outcome (columns 1 and 2: the local site and its cases).
    _follow_figure_to_a_case(page, "Items: share rated Strength", 3)
