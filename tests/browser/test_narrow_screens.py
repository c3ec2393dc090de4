"""Small screens and keyboard use (WCAG 2.1 AA): the narrow-screen menu keeps focus and dims
the page, nothing scrolls the page sideways at 320 px, the desktop header is one row, focus
rings show in item tables, the favicon exists, and errors and successes are announced."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.extensions import db
from tests.browser.test_accessibility import _assert_none, _case_path, _problems
from tests.performance.conftest import add_finalized
from tests.training.conftest import make_published_key

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
    expect(overlay).not_to_have_css("opacity", "0")  # it fades in: wait for it, not a time

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


def _finalized_case(app) -> int:
    add_finalized(app, 3)
    with app.app_context():
        return db.session.scalar(
            select(Case.id).where(Case.status == "finalized").order_by(Case.id)
        )


def test_no_page_scrolls_sideways_at_320_px_and_wide_tables_scroll_in_their_own_box(demo, people):
    case_id = _finalized_case(demo)
    key_id = make_published_key(demo, "KEY-NARROW")
    admin = people("admin")
    admin.set_viewport_size(NARROWEST)
    # Each page, and the label of a scrolling box it must have.
    pages = {
        f"{SITE}/cases/{case_id}": "Outcome ratings",
        f"{SITE}/quality/agreement": "Agreement per item",
        f"{SITE}/quality": "Cases at each step",
        f"{SITE}/performance": None,
        f"{SITE}/performance/by/local-sites": None,
        f"{SITE}/performance/by/races": None,
        f"{SITE}/performance/cases?figure=item:1": "Cases",
        f"{SITE}/cases/import": "Example file",
        f"{SITE}/admin/users/import": "Example file",
        f"/demo/training/answer-keys/{key_id}/import": "Example file",
    }
    problems = []
    for path, label in pages.items():
        response = admin.goto(path)
        assert response.ok, path
        width = admin.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROWEST["width"], f"{path} is {width} px wide"
        boxes = admin.locator(".table-scroll")
        assert boxes.count(), path
        if label:
            expect(admin.get_by_role("region", name=label, exact=True).first).to_be_visible()
        for index in range(boxes.count()):
            box = boxes.nth(index)
            expect(box).to_have_attribute("tabindex", "0")
            expect(box).to_have_attribute("role", "region")
            box.focus()
            expect(box).to_be_focused()
        problems += _problems(admin)

    # The performance page's charts shrink to the screen and keep their proportions.
    admin.goto(f"{SITE}/performance")
    charts = admin.locator("figure svg[role=img]")
    expect(charts).to_have_count(2)
    for index in range(2):
        box = charts.nth(index).bounding_box()
        assert box["width"] <= NARROWEST["width"], box
        drawn = charts.nth(index).evaluate(
            "e => e.viewBox.baseVal.width / e.viewBox.baseVal.height"
        )
        assert abs(box["width"] / box["height"] - drawn) < 0.02, (box, drawn)
    # At desktop width the chart keeps its drawn size.
    admin.set_viewport_size({"width": 1280, "height": 900})
    box = charts.first.bounding_box()
    assert box["width"] == pytest.approx(
        charts.first.evaluate("e => e.viewBox.baseVal.width"), abs=1
    )
    _assert_none(problems)


def test_searches_and_stacked_tables_fit_320_px_and_pass_axe(demo, people):
    """Pages without a scrolling box: their search buttons keep a name when the word
    "Search" is hidden, and their tables stack instead of widening the page."""
    admin = people("admin")
    admin.goto(f"{SITE}/tokens")
    admin.get_by_label("Name").fill("Narrow screen check")
    admin.get_by_label("Days").fill("5")
    admin.get_by_role("button", name="Make the token").click()
    expect(admin.get_by_role("cell", name="Works")).to_be_visible()
    sysadmin = people("sysadmin")
    problems = []
    for page, path in ((admin, f"{SITE}/tokens"), (admin, f"{SITE}/glossary"),
                       (sysadmin, "/system/accounts")):  # fmt: skip
        page.set_viewport_size(NARROWEST)
        assert page.goto(path).ok, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROWEST["width"], f"{path} is {width} px wide"
        problems += _problems(page)
    expect(sysadmin.get_by_role("button", name="Search", exact=True)).to_be_visible()
    _assert_none(problems)


def test_the_performance_pdf_draws_the_charts_at_their_own_size(demo, people):
    """The PDF embeds the same SVG as an image: it keeps its fixed width and height."""
    add_finalized(demo, 2)
    admin = people("admin")
    response = admin.request.get(f"{SITE}/performance/figures.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
    with demo.test_request_context():
        from review_app.performance.charts import Bar, bar_chart

        svg = str(bar_chart("Test", [Bar("A", 50.0, "1 of 2")]))
    assert re.search(r'<svg[^>]* width="\d+" height="\d+" viewBox="0 0 \d+ \d+"', svg), svg


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


def test_a_date_field_in_an_item_table_shows_its_whole_focus_ring(demo, people):

    shared = _case_path(demo, "FC-CQI-102")
    page = people("reviewer")
    # Narrow enough that the face sheet's table of children scrolls sideways in its box.
    page.set_viewport_size({"width": 700, "height": 900})
    page.goto(f"{shared}/items/face")
    date = page.locator("input[type=date][name$='__birth_date']").nth(1)
    # Reach it by keyboard, as the people who need the ring do.
    date.evaluate(
        "e => e.closest('td').previousElementSibling.querySelector('input, select').focus()"
    )
    page.keyboard.press("Tab")
    expect(date).to_be_focused()
    style, width = date.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert style == "solid" and width >= 2, (style, width)
    # The field and its ring lie inside the scrolling box, not cut off at its edge.
    inside = date.evaluate(
        "e => { const box = e.closest('.usa-table-container--scrollable, .table-scroll');"
        " const s = getComputedStyle(e);"
        " const ring = Math.max(0, parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset));"
        " const r = e.getBoundingClientRect(), b = box.getBoundingClientRect();"
        " return [r.left - ring >= b.left, r.right + ring <= b.right,"
        " r.top - ring >= b.top, r.bottom + ring <= b.bottom]; }"
    )
    assert inside == [True, True, True, True], inside


def test_the_favicon_is_served_and_linked(page):
    response = page.request.get("/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.body()[:4] == b"\x00\x00\x01\x00"
    page.goto("/login")
    for href in page.locator("link[rel=icon]").evaluate_all("links => links.map(l => l.href)"):
        assert page.request.get(href).status == 200, href


def test_a_failed_save_says_error_in_the_title_and_a_save_focuses_its_message(people):
    page = people("admin")
    page.goto(f"{SITE}/local-sites/new")
    title = page.title()
    assert not title.startswith("Error:")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.title() == f"Error: {title}"
    # The error summary keeps the focus it had.
    expect(page.locator("[data-error-summary]")).to_be_focused()
    problems = _problems(page)

    page.get_by_label("Code").fill("042")
    page.get_by_label("Name").fill("Lake County")
    page.get_by_role("button", name="Save").click()
    message = page.get_by_role("status").filter(has_text="Local site Lake County added.")
    expect(message).to_be_visible()
    expect(message).to_be_focused()
    assert not page.title().startswith("Error:")
    # Tab goes on from the message into the page, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !document.activeElement.closest('header')")
    problems += _problems(page)
    _assert_none(problems)
