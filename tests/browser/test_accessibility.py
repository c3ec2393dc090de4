"""axe-core finds no serious or critical accessibility problem on the pages people use."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
SITE = "/demo/training"  # the practice site: its pages also carry the practice banner


def _problems(page) -> list[str]:
    """Run axe on the page as it is now; describe each serious or critical violation."""
    violations = Axe().run(page).response["violations"]
    return [
        f"{page.url}: [{v['impact']}] {v['id']}: {v['help']}\n"
        + "\n".join(f"    {node['target']}" for node in v["nodes"])
        for v in violations
        if v["impact"] in BLOCKING
    ]


def _visit(page, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        page.goto(path)
        problems += _problems(page)
    return problems


def _submit_empty(page, path: str, button: str) -> list[str]:
    """Send a form empty, so that it shows its error summary and messages."""
    page.goto(path)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    return _problems(page)


def _assert_none(problems: list[str]) -> None:
    assert not problems, "\n".join(problems)


def test_sign_in_pages_pass_axe(page):
    problems = _visit(page, ["/login"])
    problems += _submit_empty(page, "/login", "Sign in")
    sign_in(page, "admin")
    expect(page.get_by_role("heading", level=1, name="Your sites")).to_be_visible()
    problems += _problems(page)
    _assert_none(problems)


def test_site_pages_pass_axe(page):
    sign_in(page, "admin")
    _assert_none(
        _visit(
            page,
            [
                f"{SITE}/",
                "/demo/cqi/",
                f"{SITE}/admin/users",
                f"{SITE}/periods",
                f"{SITE}/local-sites",
                f"{SITE}/admin/audit",
            ],
        )
    )


def test_forms_with_errors_and_open_menus_pass_axe(page):
    sign_in(page, "admin")
    problems = _visit(page, [f"{SITE}/periods/new", "/account/password"])
    problems += _submit_empty(page, f"{SITE}/admin/users/new", "Add user")
    problems += _submit_empty(page, f"{SITE}/periods/new", "Save")

    page.get_by_role("button", name="Site: Demo State Training").click()
    expect(page.get_by_role("link", name="Demo State CQI")).to_be_visible()
    problems += _problems(page)
    page.get_by_role("button", name="Avery Admin").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    problems += _problems(page)
    _assert_none(problems)


def test_system_admin_pages_pass_axe(page):
    sign_in(page, "sysadmin")
    problems = _visit(
        page,
        [
            "/",
            "/system/",
            "/system/jurisdictions/demo",
            "/system/accounts",
            "/system/audit",
        ],
    )
    # A system administrator works on no site: the switcher says so.
    page.get_by_role("button", name="Choose a site").click()
    expect(page.get_by_text("You have no sites yet.")).to_be_visible()
    problems += _problems(page)
    _assert_none(problems)
