"""Follow-up questions appear on the item page as the reviewer answers, before saving."""

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Assignment, Case
from review_app.extensions import db
from review_app.sites.queries import site_by_slug

pytestmark = pytest.mark.browser


def _case_id(app) -> int:
    with app.app_context():
        reviewer = db.session.scalar(select(User).where(User.username == "reviewer"))
        return db.session.scalar(
            select(Case.id)
            .join(Assignment)
            .where(
                Assignment.user_id == reviewer.id,
                Case.status == "in_progress",
                Case.case_type == "foster_care",
                Case.site_id == site_by_slug("demo", "cqi").id,
            )
            .order_by(Case.id)
        )


def _click_label(page, input_id: str) -> None:
    """Choose a USWDS radio or checkbox the way people do: by its label."""
    page.locator(f'label[for="{input_id}"]').click()


def test_follow_up_questions_appear_and_a_checked_reason_forces_the_answer(demo, people):
    case_id = _case_id(demo)
    page = people("reviewer")
    page.goto(f"/demo/cqi/cases/{case_id}/items/1")
    slot_1a, slot_1c = page.locator('[data-qid="1A"]'), page.locator('[data-qid="1C"]')
    assert not slot_1a.is_visible()
    _click_label(page, "a-1-app-0")  # Yes: a report came in
    assert slot_1a.is_visible() and not slot_1c.is_visible()
    page.locator("#a-1A").fill("2")
    assert slot_1c.is_visible()
    page.locator("#a-1A").fill("0")
    page.locator("#a-1B").fill("0")
    assert not slot_1c.is_visible()
    _click_label(page, "a-1-app-1")  # No
    assert not slot_1a.is_visible()
    assert page.locator('input[name="shown"]').input_value() == "1-app"

    page.goto(f"/demo/cqi/cases/{case_id}/items/4")
    yes, no = page.locator("#a-4C-0"), page.locator("#a-4C-1")
    _click_label(page, "a-4C-0")
    assert yes.is_checked()
    _click_label(page, "a-4C1-0")  # a reason the placement is not stable
    assert no.is_checked() and no.is_disabled() and yes.is_disabled()
    _click_label(page, "a-4C1-0")
    assert not yes.is_disabled()


def test_a_keyboard_user_skips_the_item_navigation(demo, people):
    case_id = _case_id(demo)
    page = people("reviewer")
    page.goto(f"/demo/cqi/cases/{case_id}/items/1")
    skip = page.get_by_role("link", name="Skip to the questions")
    page.locator("h1").evaluate("h => { h.tabIndex = -1; h.focus(); }")  # start after the header
    page.keyboard.press("Tab")
    assert skip.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("a-1-app"), focused
