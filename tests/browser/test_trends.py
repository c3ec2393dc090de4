"""The trend page in the browser: no axe problem, and a point's figure opens its cases."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _assert_none, _problems, _visit
from tests.performance.conftest import SITE
from tests.performance.test_trends import _add_history

pytestmark = pytest.mark.browser


def test_trend_page_passes_axe_and_a_point_opens_its_cases(demo, people):
    _add_history(demo, 3)
    page = people("admin")
    page.goto(f"{SITE}/performance")
    page.get_by_role("link", name="Trends over time, across review periods").click()
    page.wait_for_url(re.compile(r"/performance/trends$"))
    page.get_by_label("Item or outcome").select_option(label="Outcome S1: Safety Outcome 1")
    page.get_by_text("Each calendar quarter").check()
    page.get_by_role("button", name="Show the trend").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(["Outcome S1"])
    expect(page.get_by_role("img", name=re.compile("by quarter"))).to_be_visible()
    problems = _problems(page)
    table = page.locator("table", has=page.locator("caption", has_text="each share links")).first
    point = table.locator("tbody tr td:nth-child(3) a").first  # a quarter's share
    quarter = point.locator("xpath=ancestor::tr/th").inner_text()
    point.click()
    page.wait_for_url(re.compile(r"/performance/trends/cases\?"))
    expect(page.get_by_role("status")).to_contain_text(f"Finalized {quarter} (3 months)")
    problems += _problems(page)
    listed = page.locator("table tbody th[scope=row] a")
    expect(listed.first).to_be_visible()
    number = listed.first.inner_text()
    listed.first.click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    problems += _visit(page, [f"{SITE}/performance/trends?figure=nothing&local_site=7777"])
    _assert_none(problems)
