"""The Training site in a browser: a trainee is scored, resets and improves; pages pass axe."""

import re

import pytest
from playwright.sync_api import expect

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.training.key_operations import save_explanations
from tests.browser.test_accessibility import _assert_none, _problems, _submit_empty, _visit
from tests.training.conftest import SITE, make_published_key, rate_copy, user

pytestmark = pytest.mark.browser


def _copy_id(page) -> int:
    return int(re.search(r"/cases/(\d+)", page.url).group(1))


def test_a_trainee_is_scored_resets_and_improves_and_the_pages_pass_axe(demo, people):
    key_id = make_published_key(demo)
    with demo.app_context():
        save_explanations(user("admin"), db.session.get(Case, key_id), "3", {"3B": "March."})
        db.session.commit()
    page = people("reviewer")
    page.goto(f"{SITE}/")
    page.get_by_role("link", name="Practice cases").first.click()
    problems = _problems(page)
    page.get_by_role("button", name="Start practice case KEY-T1").click()
    expect(page.get_by_text("Practice copy of an answer key.")).to_be_visible()
    copy_id = _copy_id(page)
    problems += _problems(page)

    rate_copy(demo, copy_id, {"3B": "no", "14A": "no"})
    page.reload()
    page.get_by_role("button", name="Submit for QA").click()
    expect(
        page.get_by_role("heading", level=1, name="Score on practice case KEY-T1")
    ).to_be_visible()
    expect(page.get_by_text("16 of 18")).to_be_visible()
    expect(page.get_by_text("Explanation: March.")).to_be_visible()
    problems += _problems(page)

    page.get_by_role("button", name="Reset the copy and try again").click()
    expect(page.get_by_text(re.compile("cleared: rate it again"))).to_be_visible()
    rate_copy(demo, copy_id)
    page.reload()
    page.get_by_role("button", name="Submit for QA").click()
    expect(page.get_by_text("18 of 18")).to_be_visible()
    expect(page.get_by_role("link", name="Attempt 1: 88.9%")).to_be_visible()
    problems += _problems(page)

    page = people("admin")
    with demo.app_context():
        reviewer_id = user("reviewer").id
    problems += _visit(
        page,
        [
            f"{SITE}/answer-keys",
            f"{SITE}/answer-keys/{key_id}",
            f"{SITE}/answer-keys/{key_id}/items/3",
            f"{SITE}/progress",
            f"{SITE}/progress/{reviewer_id}",
            f"{SITE}/cases/{copy_id}/score?attempt=1",
        ],
    )
    expect(page.get_by_text("Attempt 1 by Riley Reviewer")).to_be_visible()
    page.goto(f"{SITE}/progress")
    expect(
        page.get_by_role("row", name=re.compile(r"Riley Reviewer .* 1 2 1 100\.0%"))
    ).to_be_visible()
    page.goto(f"{SITE}/answer-keys/{key_id}/items/3")
    page.get_by_label(re.compile(r"^3A\. ")).fill("x" * 4001)
    page.get_by_role("button", name="Save the explanations").click()
    expect(page.get_by_role("link", name=re.compile("3A: Use at most 4000"))).to_be_visible()
    problems += _problems(page)
    page.goto(f"{SITE}/answer-keys/{key_id}")
    page.get_by_role("button", name="Withdraw the key to edit it").click()
    expect(page.get_by_role("link", name="Import answers from CSV")).to_be_visible()
    problems += _submit_empty(page, f"{SITE}/answer-keys/{key_id}/import", "Import")
    _assert_none(problems)
