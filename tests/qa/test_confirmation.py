"""Consequential status changes say what they will do, and act only once confirmed."""

import pytest
from sqlalchemy import func, select

from review_app.audit.models import AuditEntry
from review_app.cases import workflow
from review_app.cases.models import Case
from review_app.extensions import db
from tests.qa.conftest import SITE, status_of

# action -> (who acts, the status the case is put in, words of the effect shown)
CASES = {
    "submit": ("reviewer", "in_progress", "can no longer change answers"),
    "return": ("qa", "qa1", "they can change answers again"),
    "finalize": ("qa2", "qa2", "it becomes read-only and its ratings count in the reports"),
    "eliminate": ("admin", "in_progress", "leaves every report"),
    "reopen": ("admin", "finalized", "it goes back to QA level 2"),
}


def _put(app, case_id: int, status: str) -> str:
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.status = status
        db.session.commit()
        return case.case_number


def _entries(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).where(
                AuditEntry.object_type == "Case", AuditEntry.object_id == case_id
            )
        )


@pytest.mark.parametrize("action", sorted(CASES))
def test_each_consequential_action_shows_its_effect_and_waits_for_a_yes(
    demo, clients, complete_case, action
):
    who, status, words = CASES[action]
    number = _put(demo, complete_case, status)
    client = clients(who)
    # The page shows the case and what will happen, with a button that asks.
    page = client.get(f"{SITE}/cases/{complete_case}/status?action={action}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"case {number}" in text and words in text
    assert 'name="confirmed" value="1"' in text
    # The case page's button posts without the confirmation: the same page, nothing done.
    before, entries = status_of(demo, complete_case), _entries(demo, complete_case)
    form = {
        "action": action,
        "status_version": str(before[1]),
        "reason": "Checked with the supervisor.",
        "reason_code": "unavailable",
    }
    asked = client.post(f"{SITE}/cases/{complete_case}/status", data=form)
    assert asked.status_code == 200 and words in asked.get_data(as_text=True)
    if workflow.ACTIONS[action].needs_reason:  # the reason typed is kept, to check
        assert "Checked with the supervisor." in asked.get_data(as_text=True)
    assert status_of(demo, complete_case) == before
    assert _entries(demo, complete_case) == entries
    # Yes: the action is done.
    done = client.post(f"{SITE}/cases/{complete_case}/status", data={**form, "confirmed": "1"})
    assert done.status_code == 302
    assert status_of(demo, complete_case)[0] != status


def test_the_confirmation_page_is_not_offered_for_a_refused_action(demo, clients, complete_case):
    _put(demo, complete_case, "in_progress")
    page = clients("qa").get(f"{SITE}/cases/{complete_case}/status?action=finalize")
    assert page.status_code == 302
    shown = clients("qa").get(page.location).get_data(as_text=True)
    assert "not possible now" in shown


def test_an_unknown_action_or_a_bare_confirmation_address_changes_nothing(
    demo, clients, complete_case
):
    before = status_of(demo, complete_case)
    assert clients("qa").get(f"{SITE}/cases/{complete_case}/status").status_code == 302
    assert clients("qa").get(f"{SITE}/cases/{complete_case}/status?action=x").status_code == 302
    assert status_of(demo, complete_case) == before


def test_the_case_page_buttons_lead_to_the_confirmation(demo, clients, complete_case):
    page = clients("reviewer").get(f"{SITE}/cases/{complete_case}").get_data(as_text=True)
    form = page[page.index('value="submit"') - 400 : page.index('value="submit"')]
    assert 'name="confirmed"' not in form  # the first click only asks
