"""With the Content-Security-Policy on, key pages load and work without one violation.

Chromium reports every blocked script, style, image or font as a console error
(and fires ``securitypolicyviolation``); any console error or page error fails.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import OWN_CASE, SHARED_CASE, _case_path
from tests.performance.conftest import add_finalized

pytestmark = pytest.mark.browser

CQI = "/demo/cqi"


@pytest.fixture
def page(fresh_page):
    """Each test here listens to its page's events and adds a script to its context: a
    context of its own, not the page kept for other tests."""
    return fresh_page


def _watch(page) -> list[str]:
    """Collect console errors, page errors and CSP violation events of ``page``."""
    problems: list[str] = []

    def console(message) -> None:
        # A failed load is reported below with its address; the site has no favicon.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"{page.url}: console {message.type}: {message.text}")

    def response(answer) -> None:
        if answer.status >= 400 and not answer.url.endswith("/favicon.ico"):
            problems.append(f"{page.url}: {answer.status} for {answer.url}")

    page.on("console", console)
    page.on("response", response)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: page error: {error}"))
    return problems


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def _visit(page, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response.ok, f"{path}: {response.status}"
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        page.wait_for_load_state("load")


def test_key_pages_load_without_a_policy_violation(demo, page):
    add_finalized(demo, 4)
    problems = _watch(page)
    # Record violation events too (an init script runs before the page's own scripts).
    page.context.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    _visit(page, ["/login"])
    sign_in(page, "admin")
    own, shared = _case_path(demo, OWN_CASE), _case_path(demo, SHARED_CASE)
    _visit(
        page,
        [
            "/",
            f"{CQI}/",
            f"{CQI}/cases",
            shared,
            f"{shared}/items/1",
            f"{own}/items/4",
            f"{CQI}/performance",
            f"{CQI}/reports",
            f"{CQI}/admin/audit",
            f"{CQI}/tokens",
        ],
    )
    problems += _violations(page)
    assert problems == [], "\n".join(problems)


def test_scripts_still_work_under_the_policy(demo, page):
    """The item page's follow-up logic and the USWDS menus run from static files."""
    problems = _watch(page)
    sign_in(page, "reviewer")
    page.goto(f"{_case_path(demo, OWN_CASE)}/items/4")
    page.locator("label", has_text="The child's behavior puts the placement at risk").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Set to “No” by another answer on this page.")).to_be_visible()
    # A USWDS accordion or menu button toggles only when uswds.min.js ran.
    button = page.locator("button[aria-expanded]").first
    before = button.get_attribute("aria-expanded")
    button.click()
    expect(button).not_to_have_attribute("aria-expanded", before or "")
    assert problems == [], "\n".join(problems)


def test_inline_script_is_blocked(demo, page):
    """The policy is enforced, not only sent: an injected inline script does not run."""
    messages = _watch(page)
    page.goto("/login")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.__ran === true") is False
    assert any(re.search("Content Security Policy", m) for m in messages)
