"""Signed out in another tab: what was typed on an item page is back after signing in again."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_rating import _open_own_case, _side_nav
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

RATIONALE = (
    "The first assessment missed the grandmother's report of a bruise; the second visit "
    "noted it but no safety plan followed. " * 6
).strip()


def test_text_typed_after_signing_out_in_another_tab_is_back_after_signing_in(people):
    page = people("reviewer")
    _open_own_case(page)
    _side_nav(page).get_by_role("link", name=re.compile(r"^Item 3: ")).click()
    item_url = page.url
    rationale = page.get_by_label("Rationale for the rating")
    rationale.fill(RATIONALE)

    other_tab = page.context.new_page()
    other_tab.goto("/")
    other_tab.get_by_role("button", name="Riley Reviewer").click()
    other_tab.get_by_role("button", name="Sign out").click()
    expect(other_tab.get_by_role("status")).to_contain_text("You are signed out.")
    other_tab.close()

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("what you typed will be back")
    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(item_url)
    expect(page.get_by_role("status").filter(has_text="Your form had expired")).to_contain_text(
        "Your form had expired; check what you entered and send it again."
    )
    expect(page.get_by_label("Rationale for the rating")).to_have_value(RATIONALE)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="saved.")).to_contain_text("Item 3 saved")
    page.reload()
    expect(page.get_by_label("Rationale for the rating")).to_have_value(RATIONALE)
