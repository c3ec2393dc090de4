"""An observer walks the issue-12 features: sees everything, and is offered no action.

Performance drill-down, guidance and the glossary, a case's history filters, the QA
queues with their holders and the item pages, in the browser as the observer uses them.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _assert_none, _problems
from tests.browser.test_performance_drill_down import _follow_figure_to_a_case
from tests.performance.conftest import add_finalized
from tests.qa import conftest as qa_fixtures
from tests.qa.conftest import SITE, act

pytestmark = pytest.mark.browser

complete_case = qa_fixtures.complete_case
# Buttons that change something; an observer is offered none of them anywhere.
ACTIONS = re.compile(
    r"^(Take|Release|Finalize|Return|Pass to QA|Start QA|Submit|Eliminate|Reopen|Move|Undo|"
    r"Save|Hand|Override|Add|Reply|Resolve|Put back)",
)


def _no_action(page) -> None:
    """The page offers no button that changes data and no form that posts."""
    expect(page.get_by_role("button", name=ACTIONS)).to_have_count(0)
    expect(page.locator("main form[method=post], main form[method=POST]")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Hand the QA work"))).to_have_count(0)


def test_an_observer_sees_the_issue_12_features_and_no_action(demo, clients, people, complete_case):
    add_finalized(demo, 4)
    act(clients("reviewer"), demo, complete_case, "submit")
    act(clients("qa"), demo, complete_case, "take")
    observer = people("observer")
    script_errors: list[str] = []
    observer.on("pageerror", lambda error: script_errors.append(str(error)))

    # Performance: a figure opens its cases and a case, read only.
    observer.goto("/demo/cqi/performance")
    _no_action(observer)
    _follow_figure_to_a_case(observer, "rated Strength, per item", 2)
    _no_action(observer)
    problems = _problems(observer)

    # The QA queues show who holds each case, with no Take or Release.
    observer.goto(f"{SITE}/")
    observer.get_by_role("button", name="Cases", exact=True).click()
    observer.get_by_role("navigation", name="Primary").get_by_role("link", name="QA queues").click()
    expect(observer.get_by_role("heading", level=1, name="QA queues")).to_be_visible()
    row = observer.get_by_role("row").filter(has_text="Quinn Quality")
    expect(row).to_have_count(1)
    _no_action(observer)
    problems += _problems(observer)
    row.get_by_role("link").click()

    # The case page says who holds it; nothing to take, finalize or hand over.
    expect(observer.get_by_text("Quinn Quality holds this case for QA level 1.")).to_be_visible()
    _no_action(observer)
    problems += _problems(observer)

    # History filters work for the observer.
    observer.get_by_role("link", name="History of changes").click()
    observer.get_by_label("Item", exact=True).select_option(value="3")
    observer.get_by_role("button", name="Show").click()
    expect(observer.get_by_role("status")).to_contain_text("that match")
    expect(observer.get_by_label("Item", exact=True)).to_have_value("3")
    _no_action(observer)
    problems += _problems(observer)

    # An item page: its guidance opens beside the questions; the answers are read only.
    observer.get_by_role("link", name=re.compile(r"^Case FC-")).click()
    observer.get_by_role("link", name=re.compile(r"^Item 3: ")).click()
    expect(observer.get_by_text(re.compile(r"^Read only"))).to_be_visible()
    guidance = observer.locator("#guidance-3A")
    guidance.get_by_text("How to answer 3A").click()
    expect(guidance.get_by_text("Yes when the first assessment")).to_be_visible()
    _no_action(observer)
    problems += _problems(observer)

    # The glossary is searchable.
    about = observer.locator("#guidance-item")
    about.get_by_text(re.compile(r"^About item 3")).click()
    about.get_by_role("link", name="Search all terms and guidance in the glossary").click()
    observer.get_by_label("Search terms and guidance").fill("safety plan")
    observer.get_by_role("button", name="Search").click()
    expect(observer.get_by_role("status")).to_contain_text("for “safety plan”")
    problems += _problems(observer)

    # Moving a caseload is not offered, and its page is refused.
    observer.goto(f"{SITE}/")
    expect(observer.get_by_role("link", name=re.compile("caseload", re.I))).to_have_count(0)
    response = observer.goto(f"{SITE}/admin/caseload")
    assert response.status == 403
    _assert_none(problems)
    assert script_errors == []
