"""Small screens and keyboard use (WCAG 2.1 AA): the narrow-screen menu keeps focus and dims
the page, nothing scrolls the page sideways at 320 px, the desktop header is one row, focus
rings show in item tables, the favicon exists, and errors and successes are announced."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.extensions import db
from tests.browser.test_accessibility import _assert_none, _problems

pytestmark = pytest.mark.browser

SITE = "/demo/cqi"
PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 320, "height": 800}

IN_MENU = "e => !!document.activeElement && !!document.activeElement.closest('.usa-nav')"


def test_the_open_narrow_screen_menu_keeps_focus_and_dims_the_page(people):
    page = people("qa")
    page.set_viewport_size(PHONE)
    page.goto(f"{SITE}/")
    menu_button = page.get_by_role("button", name="Menu", exact=True)
    overlay = page.locator(".usa-overlay")
    expect(overlay).to_be_hidden()
    menu_button.click()
    nav = page.get_by_role("navigation", name="Primary")
    expect(nav).to_be_visible()
    expect(overlay).to_be_visible()
    # The overlay covers the page behind the menu, dimmed.
    box = overlay.bounding_box()
    assert box["width"] >= PHONE["width"] and box["height"] >= PHONE["height"] / 2, box
    assert overlay.evaluate("e => getComputedStyle(e).opacity") != "0"

    # Open a submenu half-way, so that some links in the menu are shown and some hidden.
    nav.get_by_role("button", name="Cases", exact=True).click()
    expect(nav.get_by_role("link", name="All cases")).to_be_visible()
    # The name of the focused control, or None when focus is not in the menu.
    focused = (
        "() => { const e = document.activeElement;"
        " if (!e || !e.closest('.usa-nav')) return null;"
        " return e.textContent.trim() || e.querySelector('img').alt; }"
    )
    stops = page.evaluate(
        "() => [...document.querySelectorAll('.usa-nav a[href], .usa-nav button')]"
        ".filter(e => e.getClientRects().length).length"
    )
    assert stops >= 6
    for key in ("Tab", "Shift+Tab"):
        seen = []
        for _ in range(stops + 2):
            page.keyboard.press(key)
            seen.append(page.evaluate(focused))
            assert seen[-1] is not None, f"{key} moved focus out of the open menu after {seen}"
        # Focus goes round: past the last control to the first (Close), and back.
        assert {"Close", "Quinn Quality", "Cases"} <= set(seen), (key, seen)
        if key == "Tab":
            assert "All cases" in seen, seen

    # Escape closes the menu, takes the overlay away and gives focus back to the Menu button.
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(overlay).to_be_hidden()
    expect(menu_button).to_be_focused()

    # A click on the dimmed page closes the menu too.
    menu_button.click()
    expect(overlay).to_be_visible()
    overlay.click(position={"x": 10, "y": PHONE["height"] - 10})
    expect(nav).to_be_hidden()


def test_the_open_narrow_screen_menu_passes_axe(people):
    page = people("admin")
    page.set_viewport_size(PHONE)
    page.goto(f"{SITE}/")
    page.get_by_role("button", name="Menu", exact=True).click()
    page.get_by_role("navigation", name="Primary").get_by_role(
        "button", name="Reports", exact=True
    ).click()
    _assert_none(_problems(page))


@pytest.mark.parametrize("width", [1366, 1280])
def test_the_desktop_header_is_one_row_for_qa_and_administrators(demo, people, width):
    with demo.app_context():
        # An administrator who also runs the installation sees every menu there is.
        db.session.scalar(select(User).where(User.username == "admin")).is_system_admin = True
        db.session.commit()
    for username in ("qa", "admin", "sysadmin"):
        page = people(username)
        page.set_viewport_size({"width": width, "height": 800})
        for path in (f"{SITE}/", "/demo/training/", "/"):
            page.goto(path)
            rows = page.evaluate(
                "() => [...document.querySelectorAll('.usa-nav__primary > li')]"
                ".map(li => [Math.round(li.getBoundingClientRect().top),"
                " li.querySelector('.usa-nav__link span').getClientRects().length,"
                " li.innerText.trim()])"
            )
            assert len({top for top, _, _ in rows}) == 1, (username, path, rows)
            assert all(lines == 1 for _, lines, _ in rows), (username, path, rows)
            logo = page.locator(".usa-logo a")
            assert len(logo.evaluate("e => [...e.getClientRects()]")) == 1, (username, path)
    # The links moved into menus are still one click away, and lead where they say.
    page = people("admin")
    page.goto(f"{SITE}/")
    nav = page.get_by_role("navigation", name="Primary")
    nav.get_by_role("button", name="Avery Admin").click()
    nav.get_by_role("link", name="System administration").click()
    expect(page).to_have_url(re.compile(r"/system/?$"))
    page.goto("/demo/training/")
    nav.get_by_role("button", name=re.compile(r"^Site: ")).click()
    nav.get_by_role("link", name="Site home").click()
    expect(page).to_have_url(re.compile(r"/demo/training/$"))
