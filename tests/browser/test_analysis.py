"""The analysis in the browser: its table passes axe, and a cell opens its cases."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _assert_none, _problems
from tests.performance.conftest import SITE, add_finalized, set_minimum

pytestmark = pytest.mark.browser


def test_the_table_passes_axe_and_a_cell_opens_its_cases(demo, people):
    add_finalized(demo, 6)
    set_minimum(demo, "cqi", 1)  # counts in numbers, to compare with the list's
    page = people("admin")
    page.goto(f"{SITE}/analysis")
    page.get_by_label("Rows: the answers to").select_option(label="Case type")
    page.get_by_label("Columns: the answers to").select_option("item:4")
    page.get_by_role("button", name="Show the table").click()
    table = page.locator("table", has=page.locator("caption", has_text="Cases by"))
    expect(table).to_be_visible()
    problems = _problems(page)
    cell = table.locator("tbody tr").first.locator("td a").first
    expect(cell).to_be_visible()
    count = cell.inner_text().split()[0]
    cell.click()
    page.wait_for_url(re.compile(r"/analysis/cases\?"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cases behind the analysis")
    expect(page).to_have_title(re.compile(r"^Cases behind the analysis: .+ by .+ – "))
    expect(page.get_by_role("status")).to_contain_text(f"{count} case")
    problems += _problems(page)
    listed = page.locator("table tbody th[scope=row] a")
    number = listed.first.inner_text()
    listed.first.click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    _assert_none(problems)


def test_race_by_age_filtered_by_sex_hides_small_cells_but_opens_their_cases(demo, people):
    add_finalized(demo, 6)
    page = people("qa")
    page.goto(f"{SITE}/analysis")
    page.get_by_label("Rows: the answers to").select_option(label="Child's race")
    page.get_by_label("Columns: the answers to").select_option("case:age")
    page.get_by_label("Child’s sex").select_option(label="Female")
    page.get_by_role("button", name="Show the table").click()
    table = page.locator("table", has=page.locator("caption", has_text="Cases by"))
    expect(table).to_be_visible()
    expect(page.get_by_text("counts once under each of them")).to_be_visible()
    problems = _problems(page)
    hidden = table.locator("td a", has_text="fewer than 5").first
    expect(hidden).to_be_visible()
    hidden.click()
    page.wait_for_url(re.compile(r"/analysis/cases\?"))
    expect(page.get_by_role("status")).to_contain_text("case")
    expect(page.locator("table tbody th[scope=row] a").first).to_be_visible()
    problems += _problems(page)
    _assert_none(problems)
