"""A mistaken caseload move or return is undone while nothing changed since; later, refused."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.cases.models import Case
from review_app.extensions import db
from tests.qa.conftest import SITE, act, save_item_3, status_of
from tests.qa.test_caseload import _case_id, _cases_of, _ids


def _returned(app, clients, case_id: int) -> None:
    act(clients("reviewer"), app, case_id, "submit")
    act(clients("qa"), app, case_id, "take")
    act(clients("qa"), app, case_id, "return", reason="Item 3 needs its source.")
    assert status_of(app, case_id)[0] == "returned"


def test_a_return_is_undone_by_the_person_who_returned_it(demo, clients, complete_case):
    _returned(demo, clients, complete_case)
    page = clients("qa").get(f"{SITE}/cases/{complete_case}").get_data(as_text=True)
    assert "Undo the return" in page
    assert "Undo the return" not in clients("qa2").get(f"{SITE}/cases/{complete_case}").get_data(
        as_text=True
    )
    refused = clients("qa2").post(f"{SITE}/cases/{complete_case}/undo-return")
    assert "Only the person who returned the case" in clients("qa2").get(refused.location).get_data(
        as_text=True
    )
    clients("qa").post(f"{SITE}/cases/{complete_case}/undo-return")
    with demo.app_context():
        case = db.session.get(Case, complete_case)
        assert (case.status, case.qa_holder.username) == ("qa1", "qa")
        assert db.session.scalar(
            select(AuditEntry.id).where(
                AuditEntry.action == "case.undo_return", AuditEntry.object_id == complete_case
            )
        )


def test_a_return_cannot_be_undone_once_the_reviewer_changed_something(
    demo, clients, complete_case
):
    _returned(demo, clients, complete_case)
    save_item_3(demo, clients("reviewer"), complete_case)
    page = clients("qa").get(f"{SITE}/cases/{complete_case}").get_data(as_text=True)
    assert "Undo the return" not in page
    response = clients("qa").post(f"{SITE}/cases/{complete_case}/undo-return")
    shown = clients("qa").get(response.location).get_data(as_text=True)
    assert "can no longer be undone: the case has changed since it was returned" in shown
    assert status_of(demo, complete_case)[0] == "returned"


def _move(app, admin, source: str, dest: str) -> str:
    """Move a caseload through the confirmation page; return the result page's address."""
    from_id, to_id = _ids(app, source, dest)
    chosen = {"from_user": str(from_id), "to_user": str(to_id)}
    listing = admin.post(f"{SITE}/admin/caseload", data=chosen).get_data(as_text=True)
    case_ids = [str(_case_id(app, n)) for n in _cases_of(app, from_id) if n in listing]
    response = admin.post(
        f"{SITE}/admin/caseload", data={**chosen, "confirmed": "1", "case": case_ids}
    )
    assert response.status_code == 302
    return response.location


def test_a_caseload_move_is_undone_from_its_result_page(demo, clients):
    admin = clients("admin")
    reviewer, reviewer2 = _ids(demo, "reviewer", "reviewer2")
    before, before2 = _cases_of(demo, reviewer), _cases_of(demo, reviewer2)
    result = _move(demo, admin, "reviewer", "reviewer2")
    page = admin.get(result).get_data(as_text=True)
    assert all(number in page for number in before) and "Undo the move" in page
    undone = admin.post(result + "/undo")
    assert "The move is undone." in admin.get(undone.location).get_data(as_text=True)
    assert _cases_of(demo, reviewer) == before
    assert _cases_of(demo, reviewer2) == before2
    # Only once.
    again = admin.post(result + "/undo")
    assert "already undone" in admin.get(again.location).get_data(as_text=True)
    assert _cases_of(demo, reviewer) == before


def test_a_case_changed_after_the_move_stays_and_a_move_all_changed_is_refused(
    demo, clients, complete_case
):
    admin = clients("admin")
    reviewer = _ids(demo, "reviewer")[0]
    before = _cases_of(demo, reviewer)
    number = next(n for n in before if _case_id(demo, n) == complete_case)
    result = _move(demo, admin, "reviewer", "reviewer2")
    save_item_3(demo, clients("reviewer2"), complete_case)  # the new reviewer starts work
    undone = admin.post(result + "/undo")
    page = admin.get(undone.location).get_data(as_text=True)
    assert "1 case(s) stayed where they are" in page and number in page
    assert _cases_of(demo, reviewer) == before - {number}
    # A move whose every case has changed since cannot be undone.
    second = _move(demo, admin, "reviewer2", "reviewer")
    with demo.app_context():
        robin = db.session.scalar(select(User).where(User.username == "reviewer2"))
        moved = db.session.get(AuditEntry, int(second.rsplit("/", 1)[1])).after["cases"]
    with demo.app_context():
        from review_app.audit.operations import record

        for case_id in moved:  # someone edits every case after the move
            record(robin, "case.update", db.session.get(Case, case_id), "Case edited")
        db.session.commit()
    refused = admin.post(second + "/undo")
    assert "can no longer be undone" in admin.get(refused.location).get_data(as_text=True)
