"""QA ownership and confirmations in the browser: take, My QA cases, finalize, move and undo."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.extensions import db
from tests.browser.test_accessibility import _assert_none, _problems
from tests.qa import conftest as qa_fixtures
from tests.qa.conftest import SITE, act
from tests.qa.test_caseload import _cases_of

pytestmark = pytest.mark.browser

complete_case = qa_fixtures.complete_case


def _case(app, case_id: int) -> Case:
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def test_qa_takes_a_case_finds_it_in_my_qa_cases_and_finalizes_after_confirming(
    demo, clients, people, complete_case
):
    act(clients("reviewer"), demo, complete_case, "submit")
    number = _case(demo, complete_case).case_number
    qa2 = people("qa2")
    qa2.goto(f"{SITE}/cases/{complete_case}")
    _click(qa2, "Start QA level 1")
    expect(qa2.get_by_text("You hold this case for QA level 1.")).to_be_visible()
    _click(qa2, "Pass to QA level 2")
    # At level 2 nobody holds it until someone takes it.
    expect(qa2.get_by_text("Nobody holds this case")).to_be_visible()
    _click(qa2, "Take this case for QA")
    expect(qa2.get_by_text("You hold this case for QA level 2.")).to_be_visible()

    # My QA cases, from the header's Cases menu, lists it.
    qa2.get_by_role("button", name="Cases", exact=True).click()
    qa2.get_by_role("link", name="My QA cases").click()
    expect(qa2.get_by_role("heading", level=1, name="My QA cases")).to_be_visible()
    problems = _problems(qa2)
    qa2.get_by_role("link", name=number).click()

    # Finalize asks first and says what will happen; only "Yes" finalizes.
    _click(qa2, "Finalize")
    expect(qa2.get_by_role("heading", level=1, name="Finalize?")).to_be_visible()
    expect(qa2.get_by_text(f"Finalize case {number}: it becomes read-only")).to_be_visible()
    problems += _problems(qa2)
    assert _case(demo, complete_case).status == "qa2"
    _click(qa2, "Yes: Finalize")
    expect(qa2.get_by_role("status").filter(has_text="finalized.")).to_be_visible()
    assert _case(demo, complete_case).status == "finalized"
    qa2.goto(f"{SITE}/qa/mine")
    expect(qa2.get_by_text("You hold no cases for QA.")).to_be_visible()
    _assert_none(problems)


def test_admin_sees_the_cases_a_move_touches_then_moves_and_undoes_it(demo, people):
    with demo.app_context():
        riley = db.session.scalar(select(User.id).where(User.username == "reviewer"))
    before = _cases_of(demo, riley)
    admin = people("admin")
    admin.goto(f"{SITE}/admin/caseload")
    admin.get_by_role("combobox", name=re.compile("^Move every open case of")).select_option(
        label="Riley Reviewer"
    )
    admin.get_by_role("combobox", name=re.compile("^To")).select_option(label="Robin Reviewer")
    _click(admin, "Move the cases")

    # Every case is listed, with its status, before anything moves.
    expect(
        admin.get_by_role("heading", level=1, name=re.compile("from Riley Reviewer to Robin"))
    ).to_be_visible()
    listed = admin.get_by_role("table", name="Cases the move touches")
    for number in before:
        expect(listed.get_by_role("rowheader", name=number, exact=True)).to_be_visible()
    problems = _problems(admin)
    assert _cases_of(demo, riley) == before
    admin.get_by_role("button", name=re.compile("^Yes: move these")).click()

    expect(admin.get_by_role("status").filter(has_text="moved from Riley Reviewer")).to_be_visible()
    assert _cases_of(demo, riley) == set()
    problems += _problems(admin)
    _click(admin, "Undo the move")
    expect(admin.get_by_role("status").filter(has_text="The move is undone.")).to_be_visible()
    expect(admin.get_by_text("This move was undone")).to_be_visible()
    assert _cases_of(demo, riley) == before
    _assert_none(problems)


def test_qa_takes_a_case_from_the_queue_and_finds_it_in_my_qa_cases(
    demo, clients, people, complete_case
):
    act(clients("reviewer"), demo, complete_case, "submit")
    number = _case(demo, complete_case).case_number
    qa = people("qa")
    qa.goto(f"{SITE}/qa")
    problems = _problems(qa)
    _click(qa, f"Take case {number}")

    # Back on the queue, the message says what happened and has the focus.
    expect(qa.get_by_role("heading", level=1, name="QA queues")).to_be_visible()
    message = qa.get_by_role("status").filter(has_text=f"You started QA level 1 on case {number}.")
    expect(message).to_be_focused()
    row = qa.get_by_role("row").filter(has=qa.get_by_role("rowheader", name=number, exact=True))
    expect(row).to_contain_text("Quinn Quality (you)")
    expect(row.get_by_role("button", name=f"Release case {number}")).to_be_visible()
    problems += _problems(qa)

    qa.get_by_role("button", name="Cases", exact=True).click()
    qa.get_by_role("link", name="My QA cases").click()
    expect(qa.get_by_role("heading", level=1, name="My QA cases")).to_be_visible()
    expect(qa.get_by_role("rowheader", name=number, exact=True)).to_be_visible()
    _click(qa, f"Release case {number}")
    expect(qa.get_by_role("status").filter(has_text="is back in the QA queue")).to_be_focused()
    expect(qa.get_by_text("You hold no cases for QA.")).to_be_visible()
    assert _case(demo, complete_case).qa_holder_id is None
    _assert_none(problems)
