"""The header's submenus work with the keyboard alone, and focus is always visible."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_rating import _tab_to

pytestmark = pytest.mark.browser

# An administrator on the practice site sees every submenu: label -> its links, in order.
MENUS = {
    "Cases": ["All cases", "QA queues", "Assign cases", "Progress board"],
    "Systemic factors": ["Stakeholder interviews", "Systemic factor ratings"],
    "Training": ["Answer keys", "Training progress"],
    "Reports": [
        "Item and outcome performance",
        "Trends over time",
        "Multi-item analysis",
        "Improvement plans",
        "Case rating summaries",
        "QA reports",
        "Inter-rater agreement",
        "Source data",
    ],
}


def _expect_focus_ring(element) -> None:
    """The focused element shows the site's focus ring (a solid outline at least 2px wide)."""
    style, width, is_visible_focus = element.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), e.matches(':focus-visible')]; }"
    )
    assert is_visible_focus, element
    assert style != "none" and width >= 2, (element, style, width)


def test_header_submenus_open_with_enter_or_space_and_their_links_take_tab(people):
    page = people("admin")
    page.goto("/demo/training/")
    nav = page.get_by_role("navigation", name="Primary")
    for index, (label, links) in enumerate(MENUS.items()):
        button = nav.get_by_role("button", name=label, exact=True)
        _tab_to(page, button)
        _expect_focus_ring(button)
        expect(button).to_have_attribute("aria-expanded", "false")
        page.keyboard.press("Enter" if index % 2 == 0 else "Space")
        expect(button).to_have_attribute("aria-expanded", "true")
        for name in links:
            page.keyboard.press("Tab")
            link = nav.get_by_role("link", name=name, exact=True)
            expect(link).to_be_focused()
            expect(link).to_be_visible()
            _expect_focus_ring(link)
        # Escape closes the submenu and gives focus back to its button.
        page.keyboard.press("Escape")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(nav.get_by_role("link", name=links[0], exact=True)).to_be_hidden()
        expect(button).to_be_focused()

    # Open the last menu again and follow its last link with Enter.
    page.keyboard.press("Space")
    for _ in MENUS["Reports"]:
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/demo/training/exports$"))
    expect(page.get_by_role("heading", level=1, name="Source data")).to_be_visible()
