"""A newcomer asks for access in the browser, an administrator approves, the site opens."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _problems

pytestmark = pytest.mark.browser


def test_a_newcomer_asks_for_access_the_admin_approves_and_the_site_opens(people):
    newcomer = people("newcomer")
    newcomer.goto("/")
    found = _problems(newcomer)
    newcomer.get_by_role("link", name="Request access to a site").click()
    newcomer.get_by_label("Site").select_option(label="Demo State CFSR")
    found += _problems(newcomer)
    newcomer.get_by_role("button", name="Continue").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(
        "Ask for access to Demo State CFSR"
    )
    # USWDS hides the inputs themselves: people click the labels.
    newcomer.locator("label", has_text="Reviewer: rates").click()
    newcomer.locator("label", has_text="Only these regions and local sites").click()
    newcomer.locator("label", has_text="Northern region").click()
    newcomer.get_by_role("button", name="Send the request").click()
    # A mistake first: the reason is missing; the summary names it and the choices stay.
    summary = newcomer.get_by_role("alert").filter(
        has=newcomer.get_by_role("heading", name="There is a problem")
    )
    expect(summary).to_contain_text("Give the reason you need this access.")
    expect(newcomer.get_by_label("Reviewer: rates")).to_be_checked()
    found += _problems(newcomer)
    newcomer.get_by_label("Why you need this access").fill("I review the Northern region.")
    newcomer.get_by_role("button", name="Send the request").click()
    expect(
        newcomer.get_by_text("Your request for access to Demo State CFSR is sent.")
    ).to_be_visible()
    row = newcomer.get_by_role("row").filter(has_text="Demo State CFSR")
    expect(row).to_contain_text("Waiting for a decision")
    found += _problems(newcomer)

    admin = people("admin")
    admin.goto("/demo/cfsr/")
    admin.get_by_role("link", name="Access requests: 1 waiting for your decision").click()
    found += _problems(admin)
    admin.get_by_role("link", name="Nico Newcomer").click()
    expect(admin.get_by_text("I review the Northern region.")).to_be_visible()
    found += _problems(admin)
    admin.get_by_role("button", name="Approve the request").click()
    expect(admin.get_by_text("Nico Newcomer now has the access they asked for")).to_be_visible()

    newcomer.goto("/access/requests")
    expect(newcomer.get_by_role("row").filter(has_text="Demo State CFSR")).to_contain_text(
        "Approved by Avery Admin"
    )
    newcomer.goto("/")  # one site now: home leads straight to it
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Demo State CFSR")
    expect(newcomer.get_by_text("Your roles here: Reviewer")).to_be_visible()
    found += _problems(newcomer)
    assert found == []


def test_the_request_and_departure_pages_fit_320_px_and_pass_axe(demo, people):
    from sqlalchemy import select

    from review_app.access_requests.models import AccessRequest
    from review_app.extensions import db
    from tests.access_requests.conftest import membership

    with demo.app_context():
        request_id = db.session.scalar(select(AccessRequest.id))
        depart = f"/demo/cqi/admin/users/{membership('reviewer2').id}/depart"
    found = []
    for who, paths in {
        "newcomer": ["/access/requests", "/access/request", "/access/request/demo/cqi"],
        "admin": [
            "/demo/cqi/admin/access-requests",
            f"/demo/cqi/admin/access-requests/{request_id}",
            depart,
        ],
    }.items():
        page = people(who)
        page.set_viewport_size({"width": 320, "height": 700})
        for path in paths:
            assert page.goto(path).ok, path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} is {width} px wide"
            found += _problems(page)
    assert found == []
