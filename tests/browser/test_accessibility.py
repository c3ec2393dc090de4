"""axe-core finds no serious or critical accessibility problem on the pages people use."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
SITE = "/demo/training"


def _problems(page, axe: Axe) -> list[str]:
    """Run axe on the page; describe each serious or critical violation."""
    violations = axe.run(page).response["violations"]
    return [
        f"{page.url}: [{v['impact']}] {v['id']}: {v['help']}\n"
        + "\n".join(f"    {node['target']}" for node in v["nodes"])
        for v in violations if v["impact"] in BLOCKING
    ]


def _check_pages(page, paths: list[str]) -> list[str]:
    axe = Axe()
    problems = []
    for path in paths:
        page.goto(path)
        problems += _problems(page, axe)
    return problems


def test_site_pages_have_no_serious_accessibility_problems(page):
    axe = Axe()
    page.goto("/login")
    problems = _problems(page, axe)
    sign_in(page, "admin")
    problems += _problems(page, axe)
    problems += _check_pages(page, [
        f"{SITE}/", "/demo/cqi/", f"{SITE}/admin/users", f"{SITE}/periods", f"{SITE}/periods/new",
        f"{SITE}/local-sites", f"{SITE}/admin/audit", "/account/password",
    ])

    # A form with errors: the error summary, messages and invalid fields.
    page.goto(f"{SITE}/admin/users/new")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    problems += _problems(page, axe)

    # The open site switcher and account menu.
    page.get_by_role("button", name="Site:").click()
    page.get_by_role("button", name="Avery Admin").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    problems += _problems(page, axe)

    assert not problems, "\n".join(problems)


def test_system_admin_pages_have_no_serious_accessibility_problems(page):
    sign_in(page, "sysadmin")
    problems = _check_pages(page, [
        "/", "/system/", "/system/jurisdictions/demo", "/system/accounts", "/system/audit",
    ])
    assert not problems, "\n".join(problems)
