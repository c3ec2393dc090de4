import pytest
from tests.browser.conftest import sign_in
pytestmark = pytest.mark.browser

def test_shots(page):
    page.goto("/login"); page.screenshot(path="/tmp/s_login.png", full_page=True)
    sign_in(page, "admin"); page.screenshot(path="/tmp/s_home.png", full_page=True)
    page.goto("/demo/training/"); page.screenshot(path="/tmp/s_training.png", full_page=True)
    page.get_by_role("button", name="Avery Admin").click()
    page.screenshot(path="/tmp/s_account_menu.png")
    page.get_by_role("button", name="Site:").click()
    page.screenshot(path="/tmp/s_site_menu.png")
    for name, path in [("users", "/demo/training/admin/users"), ("periods", "/demo/cqi/periods"),
                       ("period_new", "/demo/cqi/periods/new"), ("local", "/demo/training/local-sites"),
                       ("audit", "/demo/training/admin/audit"), ("password", "/account/password")]:
        page.goto(path); page.screenshot(path=f"/tmp/s_{name}.png", full_page=True)
    page.goto("/demo/training/admin/users/new")
    page.get_by_role("button", name="Add user").click()
    page.screenshot(path="/tmp/s_new_errors.png", full_page=True)
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto("/demo/training/"); page.screenshot(path="/tmp/s_mobile.png", full_page=True)
    page.get_by_role("button", name="Menu").click()
    page.screenshot(path="/tmp/s_mobile_menu.png")
