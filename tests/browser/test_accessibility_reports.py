"""axe-core finds no serious or critical problem on the interview, systemic factor and
report pages, each shown with data: threads, charts, tables, a form with its errors."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.demo.interviews import seed_interviews
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from tests.browser.test_accessibility import _assert_none, _problems, _visit
from tests.interviews.conftest import SITE, period_of
from tests.performance.conftest import add_finalized

pytestmark = pytest.mark.browser


def _demo_interviews(app) -> tuple[int, list[int]]:
    """Add the demo's interviews (two complete, one draft with an open QA comment) and
    its two systemic ratings; return the period and the interviews."""
    with app.app_context():
        period = period_of()
        people = {user.username: user for user in db.session.scalars(select(User))}
        interviews = seed_interviews(period, people)
        db.session.commit()
        return period.id, [interview.id for interview in interviews]


def test_interview_and_systemic_factor_pages_pass_axe(demo, people):
    period_id, (complete, _, draft) = _demo_interviews(demo)
    with demo.app_context():
        factor = get_instrument(period_of().instrument_version).factor_of("24").id
    interviews = f"{SITE}/interviews"
    # The reviewer: the list, a draft with an open comment to answer, and their own notes.
    reviewer = people("reviewer")
    problems = _visit(reviewer, [interviews, f"{interviews}/{draft}"])
    expect(reviewer.get_by_role("textbox", name=re.compile(r"^Reply "))).to_be_visible()
    problems += _visit(reviewer, [f"{interviews}/{draft}/notes"])

    # QA: a complete interview with a resolved thread, the comment and return forms.
    qa = people("qa")
    systemic = f"{SITE}/systemic/periods/{period_id}"
    problems += _visit(qa, [f"{interviews}/{complete}", systemic, f"{systemic}/factors/{factor}"])
    expect(qa.get_by_role("region", name=re.compile(r"^Item 24: "))).to_contain_text(
        "Area Needing Improvement"
    )
    # The rating form, sent empty: errors on the radios' fieldset and on the rationale.
    qa.goto(f"{systemic}/items/19")
    qa.get_by_role("button", name="Save the rating").click()
    expect(qa.get_by_role("heading", name="There is a problem")).to_be_visible()
    problems += _problems(qa)
    _assert_none(problems)


def test_report_pages_pass_axe(demo, people):
    add_finalized(demo, 4)
    with demo.app_context():
        finalized = db.session.scalar(
            select(Case.id).where(Case.status == "finalized").order_by(Case.id)
        )
    admin = people("admin")
    performance = f"{SITE}/performance"
    problems = _visit(admin, [performance])
    expect(admin.locator("figure svg[role=img]")).to_have_count(2)
    problems += _visit(
        admin,
        [
            f"{performance}/by/local-sites",
            f"{performance}/by/races",
            f"{performance}/by/age-groups",
            f"{performance}?race=white&sex=female",
            f"{performance}/cases?figure=item:1",
            f"{performance}/cases?figure=subitem:12A",
            f"{SITE}/privacy",
            f"{SITE}/quality",
            f"{SITE}/quality/agreement",
            f"{SITE}/exports",
            f"{SITE}/reports",
            f"{SITE}/reports/cases/{finalized}/summary",
        ],
    )

    # The tokens page just after making a token, with the secret shown once.
    admin.goto(f"{SITE}/tokens")
    admin.get_by_label(re.compile(r"^Name")).fill("Nightly export")
    admin.get_by_role("button", name="Make the token").click()
    expect(admin.get_by_role("heading", name="Your new token")).to_be_visible()
    expect(admin.get_by_role("table").get_by_role("rowheader")).to_have_text("Nightly export")
    problems += _problems(admin)
    _assert_none(problems)
