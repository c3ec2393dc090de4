"""Caseload moves and hand-overs by a state administrator limited to a region."""

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.cases.models import Assignment, Case
from review_app.cases.states import CaseStatus
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.qa.holding_operations import hand_over
from review_app.sites.queries import site_by_slug
from tests.scoped import CQI, cqi_case_id, user_id


def _open_cases_of(app, username: str) -> dict[str, str]:
    """The person's open CQI cases: case number -> local site name."""
    with app.app_context():
        rows = db.session.execute(
            select(Case.case_number, Case.local_site_id)
            .join(Assignment)
            .join(User, User.id == Assignment.user_id)
            .where(
                User.username == username,
                Case.site_id == site_by_slug("demo", "cqi").id,
                Case.status.not_in(CaseStatus.CLOSED),
                Case.key_case_id.is_(None),
            )
        ).all()
        return {number: _local_name(local) for number, local in rows}


def _local_name(local_site_id: int) -> str:
    from review_app.sites.models import LocalSite

    return db.session.get(LocalSite, local_site_id).name


NORTH = {"Adams County", "Baker County"}


def _ids(app, numbers) -> list[str]:
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        return [
            str(i)
            for i in db.session.scalars(
                select(Case.id).where(Case.site_id == site.id, Case.case_number.in_(numbers))
            )
        ]


def _reviewer_to_reviewer2(app) -> dict[str, str]:
    """The caseload form's choice: Riley Reviewer's cases to Robin Reviewer."""
    return {"from_user": str(user_id(app, "reviewer")), "to_user": str(user_id(app, "reviewer2"))}


def test_a_limited_administrator_lists_and_moves_only_cases_of_their_scope(demo, north_admin):
    before = _open_cases_of(demo, "reviewer")
    inside = {n for n, local in before.items() if local in NORTH}
    outside = set(before) - inside
    assert inside and outside
    chosen = _reviewer_to_reviewer2(demo)
    listing = north_admin.post(f"{CQI}/admin/caseload", data=chosen).get_data(as_text=True)
    assert all(number in listing for number in inside)
    assert not any(number in listing for number in outside)
    # Even when the form names every case, only those of the scope move.
    moved = north_admin.post(
        f"{CQI}/admin/caseload",
        data={**chosen, "confirmed": "1", "case": _ids(demo, before)},
    )
    assert moved.status_code == 302
    page = north_admin.get(moved.location).get_data(as_text=True)
    assert f"{len(inside)} case(s) moved from Riley Reviewer to Robin Reviewer" in page
    after = _open_cases_of(demo, "reviewer")
    assert set(after) == outside
    assert inside <= set(_open_cases_of(demo, "reviewer2"))


def test_a_move_of_the_whole_site_shows_and_undoes_only_the_scope(demo, north_admin, clients):
    before = _open_cases_of(demo, "reviewer")
    inside = {n for n, local in before.items() if local in NORTH}
    outside = set(before) - inside
    chosen = _reviewer_to_reviewer2(demo)
    moved = clients("admin").post(
        f"{CQI}/admin/caseload", data={**chosen, "confirmed": "1", "case": _ids(demo, before)}
    )
    assert moved.status_code == 302
    assert set(_open_cases_of(demo, "reviewer")) == set()
    page = north_admin.get(moved.location).get_data(as_text=True)
    assert all(number in page for number in inside)
    assert not any(number in page for number in outside)
    undone = north_admin.post(moved.location + "/undo")
    assert undone.status_code == 302
    assert set(_open_cases_of(demo, "reviewer")) == inside
    with demo.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "caseload.undo"))
        assert len(entry.after["cases"]) == len(inside)


def test_a_move_of_cases_outside_the_scope_answers_as_if_it_did_not_exist(
    demo, north_admin, clients
):
    before = _open_cases_of(demo, "reviewer")
    outside = [n for n, local in before.items() if local not in NORTH]
    chosen = _reviewer_to_reviewer2(demo)
    moved = clients("admin").post(
        f"{CQI}/admin/caseload", data={**chosen, "confirmed": "1", "case": _ids(demo, outside)}
    )
    assert moved.status_code == 302
    assert north_admin.get(moved.location).status_code == 404
    assert north_admin.post(moved.location + "/undo").status_code == 404
    assert clients("admin").get(moved.location).status_code == 200
    assert not set(outside) & set(_open_cases_of(demo, "reviewer"))


def _in_qa(app, local_site: str) -> int:
    case_id = cqi_case_id(app, local_site)
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.status, case.qa_holder_id = CaseStatus.QA1, None
        db.session.commit()
    return case_id


def test_a_hand_over_offers_only_qa_staff_whose_access_reaches_the_case(demo, north_admin, clients):
    clark, adams = _in_qa(demo, "Clark County"), _in_qa(demo, "Adams County")
    south = clients("admin").get(f"{CQI}/cases/{clark}/qa/hand-over").get_data(as_text=True)
    north = clients("admin").get(f"{CQI}/cases/{adams}/qa/hand-over").get_data(as_text=True)
    assert "Nora North" in north and "Nora North" not in south
    assert "Quinn Quality" in south  # the whole site's QA staff stay offered
    refused = clients("admin").post(
        f"{CQI}/cases/{clark}/qa/hand-over", data={"to_user": str(user_id(demo, "qa_north"))}
    )
    assert refused.status_code == 422
    with demo.app_context():
        case = db.session.get(Case, clark)
        assert case.qa_holder_id is None
        people = {u.username: u for u in db.session.scalars(select(User))}
        with pytest.raises(OperationError, match="access does not reach Clark County"):
            hand_over(people["admin"], case, people["qa_north"])
        db.session.rollback()
        with pytest.raises(OperationError, match="outside the local sites you manage"):
            hand_over(people["admin_north"], db.session.get(Case, clark), people["qa"])
        db.session.rollback()
        hand_over(people["admin"], db.session.get(Case, adams), people["qa_north"])
        assert db.session.get(Case, adams).qa_holder_id == people["qa_north"].id


def test_a_limited_administrator_cannot_hand_over_a_case_outside_the_scope(demo, north_admin):
    clark, adams = _in_qa(demo, "Clark County"), _in_qa(demo, "Adams County")
    assert north_admin.get(f"{CQI}/cases/{clark}/qa/hand-over").status_code == 404
    posted = north_admin.post(
        f"{CQI}/cases/{clark}/qa/hand-over", data={"to_user": str(user_id(demo, "qa"))}
    )
    assert posted.status_code == 404
    assert north_admin.get(f"{CQI}/cases/{adams}/qa/hand-over").status_code == 200
