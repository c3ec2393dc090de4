"""A state administrator adds a user: a mistake is shown, kept and fixed."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_adding_a_user_with_a_taken_username_then_fixing_it(page):
    sign_in(page, "admin")
    page.goto("/demo/cqi/admin/users")
    page.get_by_role("link", name="Add a new user").click()

    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Full name").fill("Casey Second")
    page.get_by_label("Email").fill("casey@demo.example")
    # USWDS hides the inputs themselves: people click the labels.
    page.locator("label", has_text="Reviewer: rates").click()
    page.locator("label", has_text="QA, level 1").click()
    page.get_by_role("button", name="Add user").click()

    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="There is a problem")
    )
    expect(summary).to_be_focused()
    message = "The username 'reviewer' is already taken."
    link = summary.get_by_role("link", name=f"Username: {message}")
    expect(link).to_have_attribute("href", "#username")

    username = page.get_by_label("Username")
    expect(username).to_have_attribute("aria-invalid", "true")
    expect(username).to_have_accessible_description(re.compile(re.escape(message)))
    expect(username).to_have_value("reviewer")
    expect(page.get_by_label("Full name")).to_have_value("Casey Second")
    expect(page.get_by_label("Email")).to_have_value("casey@demo.example")
    expect(page.get_by_label("Reviewer: rates")).to_be_checked()
    expect(page.get_by_label("QA, level 1")).to_be_checked()

    link.click()
    expect(username).to_be_focused()
    username.fill("casey")
    page.get_by_role("button", name="Add user").click()

    expect(page.get_by_role("heading", level=1, name="Casey Second is added")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="casey")).to_be_visible()
    password = page.locator("dd code")
    expect(password).to_have_text(re.compile(r"^\S{10,}$"))
