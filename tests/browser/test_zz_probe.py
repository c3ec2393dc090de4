import pytest
from tests.browser.conftest import sign_in
pytestmark = pytest.mark.browser

def test_probe(page):
    sign_in(page, "admin")
    page.goto("/demo/training/")
    page.get_by_role("button", name="Avery Admin").click()
    for sel in ["#account-menu form button", "#account-menu a"]:
        print(sel, page.eval_on_selector(sel, "e => { const s = getComputedStyle(e); return [s.color, s.backgroundColor, s.fontSize, s.fontWeight, s.textDecorationLine, s.padding, s.lineHeight, s.display, s.width] }"))
