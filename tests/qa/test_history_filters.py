"""A case's history narrows by item, person and kind of change, in a bounded statement count."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.extensions import db
from tests.core.test_query_counts import counted
from tests.qa.conftest import SITE, act, save_item_3


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def _history(client, case_id: int, **filters) -> str:
    response = client.get(f"{SITE}/cases/{case_id}/history", query_string=filters)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _story(app, clients, case_id: int) -> None:
    act(clients("reviewer"), app, case_id, "submit")
    act(clients("qa"), app, case_id, "take")
    act(clients("qa"), app, case_id, "return", reason="Item 3 needs its source.")


def test_history_filters_by_item_person_and_kind(demo, clients, complete_case):
    _story(demo, clients, complete_case)
    observer = clients("observer")
    everything = _history(observer, complete_case)
    assert "Item 3," in everything and "Item 4," in everything
    assert "→ Submitted for QA" in everything
    assert 'id="filter-item"' in everything and 'id="filter-person"' in everything
    # One item: its changes only, no case-wide events.
    item = _history(observer, complete_case, item="3")
    assert "Item 3," in item and "Item 4," not in item and "→ Submitted for QA" not in item
    assert '<option value="3" selected>' in item
    # One person: what they did.
    qa = _history(observer, complete_case, person=_user_id(demo, "qa"))
    assert "Item 3 needs its source." in qa and "→ Submitted for QA" not in qa
    assert "Item 3," not in qa  # QA changed no answer
    # One kind: status changes, then answers, then overrides (none here).
    status = _history(observer, complete_case, kind="status")
    assert "→ Submitted for QA" in status and "Answers and ratings" not in status
    answers = _history(observer, complete_case, kind="answers")
    assert "Item 3," in answers and "Status, assignment and QA events" not in answers
    assert "None that match." in _history(observer, complete_case, kind="overrides")


def test_unknown_filter_values_show_everything(demo, clients, complete_case):
    _story(demo, clients, complete_case)
    observer = clients("observer")
    plain = _history(observer, complete_case)
    odd = _history(observer, complete_case, item="zz", person="abc", kind="<x>")
    assert odd.count("<tr>") == plain.count("<tr>")
    assert "Showing" not in odd


def test_filtered_history_statement_count_does_not_grow(demo, clients, complete_case):
    client = clients("qa")
    filters = {"person": _user_id(demo, "reviewer"), "kind": "answers"}
    client.get(f"{SITE}/cases/{complete_case}/history", query_string=filters)
    with counted(demo) as small:
        _history(client, complete_case, **filters)
    _story(demo, clients, complete_case)  # more events and people
    save_item_3(demo, clients("reviewer"), complete_case)  # the reviewer's own changes
    with counted(demo) as large:
        page = _history(client, complete_case, **filters)
    assert "Item 3," in page
    assert len(large) == len(small), "\n".join(large)
    assert len(small) <= 14, "\n".join(small)


def _change_reviewers(app, case_id: int, times: int) -> None:
    """Edit the case's reviewers ``times`` times: one, then both, then one again ..."""
    from review_app.cases.facts import CaseFacts
    from review_app.cases.models import Case
    from review_app.cases.operations import update_case
    from review_app.members.queries import user_by_username

    with app.app_context():
        case = db.session.get(Case, case_id)
        people = [user_by_username("reviewer"), user_by_username("reviewer2")]
        for n in range(times):
            facts = CaseFacts(
                case.case_number,
                case.case_type,
                case.local_site,
                case.child_name,
                case.child_birth_date,
                case.family_name,
                case.opened_on,
                case.removal_on,
                case.closed_on,
                case.pur_start,
                reviewers=people[: 2 - n % 2],
            )
            update_case(None, case, facts)
        db.session.commit()


def test_reviewer_changes_are_named_in_a_bounded_statement_count(demo, clients, complete_case):
    """Each change of reviewers shows full names, read in one statement for the whole page."""
    client = clients("observer")
    _change_reviewers(demo, complete_case, 1)
    with counted(demo) as few:
        page = _history(client, complete_case)
    assert "Reviewers:" in page and "Robin Reviewer" in page
    _change_reviewers(demo, complete_case, 4)
    with counted(demo) as many:
        page = _history(client, complete_case)
    assert page.count("Reviewers:") >= 5
    assert len(many) == len(few), "\n".join(many)
