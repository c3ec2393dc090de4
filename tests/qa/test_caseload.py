"""Moving a reviewer's whole caseload in one step."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.cases.models import Assignment, Case
from review_app.extensions import db
from review_app.sites.queries import site_by_slug
from tests.qa.conftest import SITE
from tests.scoped import limit_to_region


def _ids(app, *usernames):
    with app.app_context():
        return [
            db.session.scalar(select(User.id).where(User.username == name)) for name in usernames
        ]


def _cases_of(app, user_id: int) -> set[str]:
    with app.app_context():
        site = site_by_slug("demo", "cfsr")
        return set(
            db.session.scalars(
                select(Case.case_number)
                .join(Assignment)
                .where(Assignment.user_id == user_id, Case.site_id == site.id)
            )
        )


def test_a_caseload_moves_to_another_reviewer_and_each_move_is_recorded(demo, clients):
    reviewer, reviewer2 = _ids(demo, "reviewer", "reviewer2")
    before = _cases_of(demo, reviewer)
    assert before
    chosen = {"from_user": str(reviewer), "to_user": str(reviewer2)}
    # First the list of every case the move touches, and nothing moved yet.
    listing = clients("admin").post(f"{SITE}/admin/caseload", data=chosen)
    assert listing.status_code == 200
    shown = listing.get_data(as_text=True)
    assert all(number in shown for number in before)
    assert _cases_of(demo, reviewer) == before
    case_ids = [str(_case_id(demo, number)) for number in before]
    response = clients("admin").post(
        f"{SITE}/admin/caseload", data={**chosen, "confirmed": "1", "case": case_ids}
    )
    assert response.status_code == 302
    page = clients("admin").get(response.location).get_data(as_text=True)
    assert f"{len(before)} case(s) moved from Riley Reviewer to Robin Reviewer" in page
    assert _cases_of(demo, reviewer) == set()
    assert before <= _cases_of(demo, reviewer2)
    with demo.app_context():
        moves = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "case.reassign")
        ).all()
    assert len(moves) == len(before)
    assert all("reviewer2" in move.after["reviewers"] for move in moves)
    # The new reviewer now works on the case, with its history.
    case_id = _case_id(demo, sorted(before)[0])
    assert clients("reviewer2").get(f"{SITE}/cases/{case_id}/history").status_code == 200


def _case_id(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Case.id).where(Case.case_number == number))


def test_moving_to_someone_without_the_reviewer_role_is_refused(demo, clients):
    reviewer, observer = _ids(demo, "reviewer", "observer")
    before = _cases_of(demo, reviewer)
    response = clients("admin").post(
        f"{SITE}/admin/caseload", data={"from_user": str(reviewer), "to_user": str(observer)}
    )
    assert response.status_code == 422
    assert "Choose two reviewers of this site" in response.get_data(as_text=True)
    assert _cases_of(demo, reviewer) == before
    same = clients("admin").post(
        f"{SITE}/admin/caseload", data={"from_user": str(reviewer), "to_user": str(reviewer)}
    )
    assert "Choose two different reviewers" in same.get_data(as_text=True)


def test_a_move_to_a_reviewer_whose_access_does_not_reach_the_cases_is_refused(demo, clients):
    """A reviewer limited to the Southern region is given no case of another region."""
    reviewer, reviewer2 = _ids(demo, "reviewer", "reviewer2")
    limit_to_region(demo, "reviewer2", "cfsr", region_code="S")
    before, theirs = _cases_of(demo, reviewer), _cases_of(demo, reviewer2)
    case_ids = [str(_case_id(demo, number)) for number in before]
    response = clients("admin").post(
        f"{SITE}/admin/caseload",
        data={"from_user": str(reviewer), "to_user": str(reviewer2), "confirmed": "1",
              "case": case_ids},
    )  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Robin Reviewer reviews cases of Southern region only" in page
    assert _cases_of(demo, reviewer) == before and _cases_of(demo, reviewer2) == theirs
