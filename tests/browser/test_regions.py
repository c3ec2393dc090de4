"""A state administrator makes a region through its form and limits a person's access to it."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _problems

pytestmark = pytest.mark.browser


def test_an_administrator_makes_a_region_and_limits_a_person_to_it(people):
    page = people("admin")
    page.goto("/demo/cqi/local-sites")
    page.get_by_role("link", name="Regions").click()
    expect(page.get_by_role("heading", level=1, name="Regions")).to_be_visible()
    problems = _problems(page)
    page.get_by_role("link", name="Add a region").click()

    page.get_by_label("Name").fill("Western region")
    page.get_by_label("Code").fill("W")
    # USWDS hides the checkboxes themselves: people click the labels.
    page.locator("label", has_text="Dawson County (now in Southern region").click()
    problems += _problems(page)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Region Western region saved.")).to_be_visible()
    expect(page.get_by_text("Moved to it from their former region: Dawson County.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Western region")
    expect(row).to_contain_text("Dawson County")

    page.goto("/demo/cqi/admin/users")
    page.get_by_role("link", name="Riley Reviewer").click()
    page.locator("label", has_text="Only these regions and local sites").click()
    page.get_by_role("button", name="Save").click()
    # Nothing chosen: the summary links to the scope's fieldset, nothing is saved.
    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="There is a problem")
    )
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose at least one region or local site")
    problems += _problems(page)
    page.locator("label", has_text="Western region (Dawson County)").click()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Riley Reviewer saved.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Riley Reviewer")
    expect(row).to_contain_text("Western region")
    problems += _problems(page)
    assert problems == []


def test_the_region_and_user_pages_fit_a_320_px_screen(people):
    admin = people("admin")
    admin.set_viewport_size({"width": 320, "height": 800})
    pages = ("/regions", "/regions/new", "/regions/import", "/local-sites", "/admin/users")
    for path in (*pages, "/admin/users/new"):
        response = admin.goto(f"/demo/cqi{path}")
        assert response.ok, path
        width = admin.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide"
