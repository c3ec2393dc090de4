"""A reviewer rates an item in the browser, with the mouse and with the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORT

pytestmark = pytest.mark.browser

SITE = "/demo/cqi"
ITEM_1 = "Item 1: Timeliness of initiating investigations of reports of child maltreatment"


def _open_own_case(page) -> None:
    """Open, from My cases, the case assigned to the reviewer alone."""
    page.goto(f"{SITE}/")
    page.get_by_role("main").get_by_role("link", name="My cases").click()
    expect(page.get_by_role("heading", level=1, name="My cases")).to_be_visible()
    alone = page.get_by_role("row").filter(
        has=page.get_by_role("cell", name="Riley Reviewer", exact=True)
    )
    alone.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Case "))).to_be_visible()


def _side_nav(page):
    return page.get_by_role("navigation", name=re.compile(r"^Parts of case "))


def _question(page, question_id: str):
    """The group of radios or checkboxes of one question (its legend shows no internal id)."""
    return page.locator(f'fieldset:has(input[name="{question_id}"])')


def _expect_saved(page, rating: str) -> None:
    expect(page.get_by_role("status").filter(has_text="saved.")).to_have_text(
        re.compile(rf"Item 1 saved\. Its rating is now: {rating}\.")
    )


def _tab_to(page, target, limit: int = 80) -> None:
    """Press Tab until ``target`` has focus; fail after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab did not reach {target} in {limit} presses")


def test_reviewer_rates_item_1_and_sees_the_rating_in_words(people):
    page = people("reviewer")
    _open_own_case(page)
    _side_nav(page).get_by_role("link", name=re.compile(r"^Item 1: ")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ITEM_1)
    expect(page.get_by_label(re.compile(r"^1A\. "))).to_be_hidden()

    # USWDS hides the inputs themselves: people click the labels.
    _question(page, "1-app").get_by_text("Yes", exact=True).click()
    page.get_by_role("button", name="Save").click()
    _expect_saved(page, "Incomplete")

    page.get_by_label(re.compile(r"^1A\. ")).fill("1")
    page.get_by_label(re.compile(r"^1B\. ")).fill("0")
    expect(_question(page, "1C")).to_be_visible()  # a late report: asked at once
    page.get_by_role("button", name="Save").click()
    _expect_saved(page, "Incomplete")

    # The reports table scrolls in its own box; the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]

    _question(page, "1C").get_by_text("Yes", exact=True).click()
    page.get_by_label("Rationale for the rating").fill("The one late report: family had moved.")
    page.get_by_role("button", name="Save").click()

    _expect_saved(page, "Strength")
    expect(page.get_by_role("status").filter(has_text="Calculated rating:")).to_contain_text(
        "Calculated rating: Strength"
    )
    current = _side_nav(page).get_by_role("link", name=re.compile(r"^Item 1: "))
    expect(current).to_have_attribute("aria-current", "page")
    expect(current).to_contain_text("Strength")
    expect(page.get_by_label(re.compile(r"^1A\. "))).to_have_value("1")
    expect(_question(page, "1C").get_by_label("Yes")).to_be_checked()


def test_rating_with_the_keyboard_alone_and_fixing_a_wrong_number(people):
    page = people("reviewer")
    _open_own_case(page)
    page.goto(page.url + "/items/1")

    first_radio = _question(page, "1-app").get_by_role("radio", name="Yes")
    _tab_to(page, first_radio)
    page.keyboard.press("Space")
    expect(first_radio).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(_question(page, "1-app").get_by_role("radio", name="No")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(first_radio).to_be_checked()
    save = page.get_by_role("button", name="Save")
    _tab_to(page, save)
    page.keyboard.press("Enter")
    _expect_saved(page, "Incomplete")

    count = page.get_by_label(re.compile(r"^1A\. "))
    _tab_to(page, count)
    page.keyboard.type("-3")  # a number input takes no letters; a count is never negative
    page.keyboard.press("Tab")  # the closed guidance of 1A comes between the two fields
    expect(page.locator("#guidance-1A summary")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label(re.compile(r"^1B\. "))).to_be_focused()
    page.keyboard.type("0")
    _tab_to(page, save)
    page.keyboard.press("Enter")

    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="There is a problem: nothing was saved")
    )
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    link = summary.get_by_role("link", name=re.compile(r"^Question 1A: "))
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(count).to_be_focused()
    expect(count).to_have_value("-3")
    expect(count).to_have_accessible_description(re.compile("from 0 to"))
    expect(page.get_by_label(re.compile(r"^1B\. "))).to_have_value("0")
