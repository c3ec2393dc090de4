"""Signing in, moving between sites with the header's switcher, signing out."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PRACTICE_BANNER = "Training site: practice cases only."


def _switch_site(page, label: str) -> None:
    """Open the header's site switcher and follow the link to the site."""
    nav = page.get_by_role("navigation", name="Primary")
    nav.get_by_role("button", name=re.compile(r"^(Site: |Choose a site)")).click()
    nav.get_by_role("link", name=label).click()


def _expect_on_site(page, label: str, is_practice: bool = False) -> None:
    suffix = " (practice)" if is_practice else ""
    expect(page).to_have_title(f"Home – {label}{suffix} – Case Review")
    expect(page.get_by_role("heading", level=1)).to_contain_text(label)
    expect(page.get_by_role("button", name=f"Site: {label}")).to_be_visible()
    banner = page.get_by_role("region", name="Practice site")
    if is_practice:
        expect(banner).to_contain_text(PRACTICE_BANNER)
    else:
        expect(banner).to_have_count(0)


def test_admin_switches_between_the_three_sites_and_signs_out(page):
    sign_in(page, "admin")
    expect(page.get_by_role("heading", level=1, name="Your sites")).to_be_visible()

    _switch_site(page, "Demo State Training")
    _expect_on_site(page, "Demo State Training", is_practice=True)
    _switch_site(page, "Demo State CQI")
    _expect_on_site(page, "Demo State CQI")
    _switch_site(page, "Demo State CFSR")
    _expect_on_site(page, "Demo State CFSR")

    page.get_by_role("button", name="Avery Admin").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
    page.goto("/")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()


def test_the_switcher_marks_the_current_site(page):
    sign_in(page, "admin")
    page.goto("/demo/cqi/periods")
    page.get_by_role("button", name="Site: Demo State CQI").click()
    switcher = page.get_by_role("navigation", name="Primary")
    expect(switcher.get_by_role("link", name="Demo State CQI")).to_have_attribute(
        "aria-current", "true"
    )
    expect(switcher.get_by_role("link", name="Demo State CFSR")).not_to_have_attribute(
        "aria-current", re.compile(".*")
    )


def test_sign_in_with_the_keyboard_only(page):
    page.goto("/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # A wrong password first: focus goes to the message, even with the skip link's
    # "#main-content" still in the address.
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("admin")
    page.keyboard.press("Tab")
    page.keyboard.type("not-the-password")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("The username or password is not correct.")
    expect(summary).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    expect(page.get_by_label("Username")).to_have_value("admin")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name="Your sites")).to_be_visible()
