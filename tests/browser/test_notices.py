"""A reviewer whose case QA returns sees the header's count, opens the notice (its button marks
it read), lands on the case."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.notices.models import Notice
from tests.browser.test_accessibility import _assert_none, _problems
from tests.qa import conftest as qa_fixtures
from tests.qa.conftest import SITE, act

pytestmark = pytest.mark.browser

complete_case = qa_fixtures.complete_case


def test_a_returned_case_reaches_its_reviewer_through_the_notifications(
    demo, clients, people, complete_case
):
    with demo.app_context():
        db.session.execute(delete(Notice))  # start without the demo's own notices
        db.session.commit()
        number = db.session.get(Case, complete_case).case_number
    act(clients("reviewer"), demo, complete_case, "submit")
    act(clients("qa"), demo, complete_case, "take")
    act(clients("qa"), demo, complete_case, "return", reason="Item 3 needs the dates.")

    reviewer = people("reviewer")
    reviewer.goto(f"{SITE}/")
    badge = reviewer.get_by_role("link", name="Notifications, 1 unread")
    expect(badge).to_be_visible()
    badge.click()
    expect(reviewer.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    problems = _problems(reviewer)
    # A real button, named with the notice; the keyboard opens it.
    reviewer.get_by_role("button", name=f"Open: Case {number} was returned to you by QA.").focus()
    reviewer.keyboard.press("Enter")
    reviewer.wait_for_url(re.compile(rf"{SITE}/cases/{complete_case}$"))
    expect(reviewer.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    reviewer.goto(f"{SITE}/notifications/preferences")
    expect(reviewer.get_by_role("group", name=re.compile("Email me"))).to_be_visible()
    problems += _problems(reviewer)
    reviewer.get_by_text(re.compile("^At once")).click()  # USWDS styles the label
    reviewer.get_by_role("button", name="Save").click()
    expect(reviewer.get_by_text("Your choice is saved.")).to_be_visible()
    expect(reviewer.get_by_label(re.compile("^At once"))).to_be_checked()
    _assert_none(problems)
