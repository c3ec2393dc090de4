"""axe-core finds no serious or critical accessibility problem on the pages people use."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from review_app.cases.models import Case
from review_app.extensions import db
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
SITE = "/demo/training"  # the practice site: its pages also carry the practice banner
CQI = "/demo/cqi"
OWN_CASE, SHARED_CASE = "FC-CQI-101", "FC-CQI-102"  # reviewer's alone; shared and partly rated


def _problems(page) -> list[str]:
    """Run axe on the page as it is now; describe each serious or critical violation."""
    assert page.url != "about:blank", "axe would pass a blank page: open the page first"
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
        response = page.goto(path)
        assert response.ok, f"{path}: {response.status}"
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


def test_site_pages_pass_axe(people):
    page = people("admin")
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


def test_forms_with_errors_and_open_menus_pass_axe(people):
    page = people("admin")
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


def test_system_admin_pages_pass_axe(people):
    page = people("sysadmin")
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


def _case_path(app, case_number: str) -> str:
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.case_number == case_number))
    return f"{CQI}/cases/{case_id}"


def test_rating_pages_pass_axe(demo, people):
    own, shared = _case_path(demo, OWN_CASE), _case_path(demo, SHARED_CASE)
    page = people("reviewer")
    # The shared case is partly rated: its summary lists gaps, its face sheet has a table row.
    problems = _visit(
        page, [f"{CQI}/cases/mine", shared, f"{shared}/items/face", f"{own}/items/12"]
    )
    expect(page.get_by_role("heading", level=2, name=re.compile(r"^12A\. "))).to_be_visible()
    _assert_none(problems)


def test_rating_pages_with_a_forced_answer_or_errors_pass_axe(demo, people):
    own, shared = _case_path(demo, OWN_CASE), _case_path(demo, SHARED_CASE)
    page = people("reviewer")
    page.goto(f"{own}/items/4")
    page.locator("label", has_text="The child's behavior puts the placement at risk").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Set to “No” by another answer on this page.")).to_be_visible()
    problems = _problems(page)

    page.goto(f"{shared}/items/1")
    page.get_by_label(re.compile(r"^1A\. ")).fill("-3")  # a number input takes no letters
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", name="There is a problem: nothing was saved")
    ).to_be_visible()
    problems += _problems(page)
    _assert_none(problems)


def test_case_admin_and_read_only_pages_pass_axe(demo, people):
    page = people("admin")
    page.goto(f"{CQI}/cases")
    page.get_by_label("Case type").select_option(label="Foster care")
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_role("button", name="Show cases").click()
    expect(page).to_have_url(re.compile(r"type=foster_care"))
    problems = _problems(page)
    # With their error summaries and messages, the two forms show everything they can.
    problems += _submit_empty(page, f"{CQI}/cases/new", "Save")
    problems += _submit_empty(page, f"{CQI}/cases/import", "Import")

    page = people("observer")
    page.goto(f"{_case_path(demo, SHARED_CASE)}/items/1")
    expect(page.get_by_text(re.compile(r"^Read only: "))).to_be_visible()
    problems += _problems(page)
    _assert_none(problems)


def test_the_audit_log_with_reads_of_case_data_passes_axe(demo, people):
    from review_app.audit.operations import record_read
    from review_app.sites.queries import site_by_slug

    with demo.app_context():
        site = site_by_slug("demo", "training")
        details = {"filters": {"status": "finalized"}, "case_numbers": ["A-1", "A-2"]}
        record_read(None, "api.cases", None, "Listed cases", site=site, details=details)
        db.session.commit()
    page = people("admin")
    page.goto(f"{SITE}/admin/audit")
    expect(page.get_by_text("Case numbers: A-1, A-2")).to_be_visible()
    _assert_none(_problems(page))
