"""A plan's page passes axe, and a measurement's figure opens the cases behind it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _assert_none, _problems, _visit
from tests.plans.conftest import SITE, make_plan, spread_cases

pytestmark = pytest.mark.browser


@pytest.fixture
def spread(demo):
    spread_cases(demo)
    return demo


def test_the_plan_page_passes_axe_and_a_figure_opens_its_cases(spread, people):
    plan_id = make_plan(spread)
    page = people("admin")
    problems = _visit(page, [f"{SITE}/plans/{plan_id}", f"{SITE}/plans/{plan_id}/edit"])
    page.get_by_label("Goal for item 12", exact=True).fill("101")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("no figure can pass 100%").first).to_be_visible()
    problems += _problems(page)  # the form with its error summary
    _assert_none(problems + _visit(page, [f"{SITE}/plans/{plan_id}"]))
    table = page.locator("table", has=page.locator("caption", has_text="Item 12")).first
    figure = table.locator("tbody tr").last.locator("td a").first
    shown = figure.inner_text()  # "75.0% (6 of 8 cases)"
    figure.click()
    page.wait_for_url(re.compile(r"/plans/\d+/cases\?"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cases behind the measurement")
    count = int(re.search(r"of (\d+) case", shown).group(1))
    expect(page.locator("table tbody th[scope=row] a")).to_have_count(count)
