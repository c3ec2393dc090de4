"""QA in the browser: a CFSR case goes through both QA levels, and the QA pages pass axe."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from review_app.cases import workflow
from review_app.cases.workflow import ACTIONS
from review_app.extensions import db
from review_app.qa.models import Thread
from review_app.ratings.models import ItemReview
from tests.browser.test_accessibility import _assert_none, _problems, _visit
from tests.qa import conftest as qa_fixtures
from tests.qa.conftest import SITE, act

pytestmark = pytest.mark.browser

QUESTION = "Which assessment is this based on?"
ANSWER = "The April safety assessment; it is in the narrative now."
OVERRIDE_REASON = "The visit log shows gaps in the summer."

# The QA fixture: a CFSR case with every answer given.
complete_case = qa_fixtures.complete_case


def _rating_of(app, case_id: int, item_id: str) -> str:
    with app.app_context():
        return db.session.scalar(
            select(ItemReview.rating).where(
                ItemReview.case_id == case_id, ItemReview.item_id == item_id
            )
        )


def _thread_id(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Thread.id).where(Thread.case_id == case_id).order_by(Thread.id.desc())
        )


def _status(page):
    """The case's status, as its facts list says it."""
    return page.locator(".case-facts dt", has_text="Status").locator(
        "xpath=following-sibling::dd[1]"
    )


_NAMES = {action.label: name for name, action in workflow.ACTIONS.items()}


def _do(page, action: str, reason: str = "") -> None:
    """Take one status action on the case page; wait for the page to say it was done."""
    if reason:
        page.get_by_label(f"Reason for “{action}”").fill(reason)
    page.get_by_role("button", name=action, exact=True).click()
    spec = next(a for a in ACTIONS.values() if a.label == action)
    if spec.needs_confirmation:
        # The page says what will happen first; the reason typed comes along.
        expect(page.get_by_role("heading", level=1, name=f"{action}?")).to_be_visible()
        page.get_by_role("button", name=f"Yes: {action}").click()
    said = "You started QA level 1" if spec.name == "take" else f"{spec.done}."
    expect(page.get_by_role("status").filter(has_text=said)).to_be_visible()


def _comments(page):
    return page.get_by_role("region", name="QA comments on this item")


def test_a_case_goes_through_both_qa_levels_to_finalized_with_an_override(
    demo, people, complete_case
):
    case = f"{SITE}/cases/{complete_case}"
    reviewer = people("reviewer")
    reviewer.goto(case)
    _do(reviewer, "Submit for QA")
    expect(_status(reviewer)).to_have_text("Submitted for QA")

    # QA starts, asks about a question of item 3, and sends the case back.
    qa = people("qa")
    qa.goto(case)
    _do(qa, "Start QA level 1")
    qa.goto(f"{case}/items/3")
    _comments(qa).get_by_label("About").select_option("3B")
    _comments(qa).get_by_label("Comment", exact=True).fill(QUESTION)
    _comments(qa).get_by_role("button", name="Add comment").click()
    expect(_comments(qa).get_by_role("article")).to_contain_text(QUESTION)
    qa.goto(case)
    _do(qa, "Return to the reviewers", reason="Item 3 needs its source.")
    expect(_status(qa)).to_have_text("Returned to reviewer")

    # The reviewer finds the case and the question in the inbox, answers, and submits again.
    reviewer.goto(f"{SITE}/inbox")
    expect(reviewer.get_by_role("listitem").filter(has_text=QUESTION)).to_be_visible()
    reviewer.get_by_role("link", name=re.compile(r", item 3 \(question 3B\)$")).click()
    thread = _comments(reviewer).get_by_role("article")
    # Each thread's controls say, to a screen reader, which comment they answer.
    reply = "Reply (comment about question 3B from Quinn Quality)"
    thread.get_by_role("textbox", name=reply).fill(ANSWER)
    thread.get_by_role("button", name=re.compile("^Send reply")).click()
    expect(thread).to_contain_text(ANSWER)
    reviewer.goto(case)
    _do(reviewer, "Submit for QA")

    # QA resolves the comment, which lets the case pass to level 2.
    qa.goto(case)
    _do(qa, "Start QA level 1")
    qa.get_by_role("link", name="Item 3, question 3B").click()
    _comments(qa).get_by_role("button", name=re.compile("^Mark resolved")).click()
    expect(_comments(qa).get_by_role("article")).to_contain_text("Resolved by Quinn Quality")
    qa.goto(case)
    _do(qa, "Pass to QA level 2")

    # Level 2 overrides item 14 with a reason, then finalizes.
    new = (
        "Area Needing Improvement"
        if _rating_of(demo, complete_case, "14") == "strength"
        else "Strength"
    )
    qa2 = people("qa2")
    qa2.goto(f"{case}/items/14")
    override = qa2.get_by_role("region", name="Override the rating")
    override.get_by_text(new, exact=True).click()
    override.get_by_label("Reason for the override").fill(OVERRIDE_REASON)
    override.get_by_role("button", name="Save override").click()
    expect(qa2.locator("#rating-headline")).to_have_text(f"Rating: {new} QA override")
    qa2.goto(case)
    _do(qa2, "Finalize")

    expect(_status(qa2)).to_have_text("Finalized")
    outcomes = qa2.get_by_role("table", name=re.compile("^Outcome ratings"))
    expect(outcomes).to_contain_text(f"14: {new} QA override (calculated: ")
    expect(qa2.get_by_role("heading", name="What you can do now")).to_be_visible()
    expect(qa2.get_by_text("Nothing: the case is finalized.")).to_be_visible()


def test_qa_pages_pass_axe(demo, clients, complete_case, people):
    """Each QA page, in the state that shows the most: threads, forms, tables, errors."""
    case_id, case = complete_case, f"{SITE}/cases/{complete_case}"
    reviewer, qa, qa2 = clients("reviewer"), clients("qa"), clients("qa2")
    act(reviewer, demo, case_id, "submit")
    act(qa, demo, case_id, "take")
    qa.post(f"{case}/items/3/threads", data={"question_id": "3B", "body": QUESTION})
    act(qa, demo, case_id, "return", reason="Item 3 needs its source.")
    # Returned: the reviewer's inbox lists the case and the question.
    problems = _visit(people("reviewer"), [f"{SITE}/inbox", case])

    reviewer.post(f"{case}/threads/{_thread_id(demo, case_id)}/replies", data={"body": ANSWER})
    act(reviewer, demo, case_id, "submit")
    problems += _visit(people("qa"), [f"{SITE}/inbox", f"{SITE}/qa"])

    # In QA level 1: QA may return the case or pass it on; the administrator may eliminate it.
    act(qa, demo, case_id, "take")
    problems += _visit(people("qa"), [case])
    problems += _visit(people("admin"), [case])
    # Another reason with no words: refused, told by the box, the choice kept.
    admin = people("admin")
    reasons = admin.get_by_label("Why is the case eliminated?")
    reasons.select_option(label="Another reason (explain)")
    admin.get_by_role("button", name="Eliminate from the sample", exact=True).click()
    admin.get_by_role("button", name="Yes: Eliminate from the sample").click()
    summary = admin.get_by_role("alert").filter(has_text="There is a problem: nothing was saved")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Explain the reason.").click()
    expect(admin.get_by_label("Reason for “Eliminate from the sample”")).to_be_focused()
    expect(reasons).to_have_value("other")
    problems += _problems(admin)

    # In QA level 2, with a resolved thread, an open one and an override on item 3.
    qa.post(f"{case}/threads/{_thread_id(demo, case_id)}/resolve", data={"open": "0"})
    act(qa, demo, case_id, "to_level2")
    qa2.post(f"{case}/items/3/threads", data={"question_id": "", "body": "Is 3A consistent?"})
    new = "ani" if _rating_of(demo, case_id, "3") == "strength" else "strength"
    qa2.post(f"{case}/items/3/override", data={"rating": new, "reason": OVERRIDE_REASON})
    problems += _visit(people("qa2"), [f"{case}/items/3", f"{case}/history"])
    expect(people("qa2").get_by_role("cell", name=OVERRIDE_REASON)).to_be_visible()

    # The caseload form, sent unchanged, asks for two different reviewers.
    admin = people("admin")
    admin.goto(f"{SITE}/admin/caseload")
    admin.get_by_role("button", name="Move the cases").click()
    expect(admin.get_by_role("heading", name="There is a problem")).to_be_visible()
    problems += _problems(admin)
    _assert_none(problems)
