"""A case lists everything still missing, and goes to QA only when complete."""

from sqlalchemy import select

from review_app.cases.models import Case
from review_app.demo.cases import rate_fully
from review_app.extensions import db
from tests.conftest import login
from tests.ratings.test_item_pages import SITE, _case_of


def _fill(app, case_id: int, skip_rationale: str = "") -> None:
    """Answer every asked question of the case favourably, with narratives and rationales."""
    with app.app_context():
        rate_fully(
            None,
            db.session.get(Case, case_id),
            seed=case_id,
            no_rate=0.0,
            skip_rationale=skip_rationale,
        )
        db.session.commit()


def test_the_completeness_check_lists_each_gap_with_a_link(demo):
    case_id = _case_of(demo, "reviewer")
    client = demo.test_client()
    login(client, "reviewer")
    page = client.get(f"{SITE}/cases/{case_id}").get_data(as_text=True)
    assert "to finish before the case can be submitted" in page
    assert f"/cases/{case_id}/items/1#q-1-app" in page
    assert "Submit for QA" not in page


def test_a_missing_rationale_is_listed(demo):
    case_id = _case_of(demo, "reviewer")
    _fill(demo, case_id, skip_rationale="3")
    client = demo.test_client()
    login(client, "reviewer")
    page = client.get(f"{SITE}/cases/{case_id}").get_data(as_text=True)
    assert "Item 3: write the rationale for the rating" in page
    response = client.post(
        f"{SITE}/cases/{case_id}/status", data={"action": "submit", "status_version": "0"}
    )
    assert response.status_code == 302
    assert "Item 3: write the rationale" in client.get(response.location).get_data(as_text=True)
    with demo.app_context():
        assert db.session.get(Case, case_id).status == "in_progress"


def test_a_complete_case_is_submitted_and_then_locked(demo):
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    _fill(demo, case_id)
    client = demo.test_client()
    login(client, "reviewer")
    page = client.get(f"{SITE}/cases/{case_id}").get_data(as_text=True)
    assert "Every question, narrative and rationale is in place." in page
    assert "Substantially Achieved" in page
    response = client.post(
        f"{SITE}/cases/{case_id}/status",
        data={"action": "submit", "status_version": "0", "confirmed": "1"},
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "submitted for QA." in page and "Submitted for QA" in page
    assert (
        client.post(
            f"{SITE}/cases/{case_id}/items/1", data={"lock_version": "99", "shown": "1-app"}
        ).status_code
        == 403
    )
    assert "Read only" in client.get(f"{SITE}/cases/{case_id}/items/1").get_data(as_text=True)


def test_in_home_cases_rate_permanency_items_not_applicable(demo):
    case_id = _case_of(demo, "reviewer", case_type="in_home") or _make_in_home(demo)
    _fill(demo, case_id)
    client = demo.test_client()
    login(client, "reviewer")
    page = client.get(f"{SITE}/cases/{case_id}").get_data(as_text=True)
    for number in range(4, 12):
        assert f"{number}: Not Applicable" in page


def _make_in_home(app) -> int:
    from review_app.cases.facts import CaseFacts
    from review_app.cases.operations import create_case
    from review_app.members.queries import user_by_username
    from review_app.periods.models import ReviewPeriod
    from review_app.sites.queries import site_by_slug

    with app.app_context():
        period = db.session.scalar(
            select(ReviewPeriod).where(ReviewPeriod.site_id == site_by_slug("demo", "cqi").id)
        )
        case = create_case(
            None,
            period,
            CaseFacts(
                "IH-TEST-1",
                "in_home",
                period.local_sites[0],
                "X.Y.",
                pur_start=period.pur_end.replace(year=period.pur_end.year - 1),
                reviewers=[user_by_username("reviewer")],
            ),
        )
        db.session.commit()
        return case.id


def test_a_face_sheet_answer_that_needs_a_narrative_holds_back_submission(demo):
    """The face sheet follows the instrument's narrative rule, as the items do."""
    from review_app.ratings.models import Answer

    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    _fill(demo, case_id)
    with demo.app_context():
        row = db.session.scalar(
            select(Answer).where(Answer.case_id == case_id, Answer.question_id == "FS-opened-other")
        )
        row.value, row.narrative = "yes", ""  # "Yes" needs a narrative; none is written
        db.session.commit()
    client = demo.test_client()
    login(client, "reviewer")
    page = client.get(f"{SITE}/cases/{case_id}").get_data(as_text=True)
    needed = "Face sheet: explain the answer “Yes” to “Was the case opened for a reason other"
    assert needed in page
    assert f"/cases/{case_id}/items/face#q-FS-opened-other" in page
    face = client.get(f"{SITE}/cases/{case_id}/items/face").get_data(as_text=True)
    # The face sheet's own list of what it still needs, with a link to the box.
    assert "Explain the answer “Yes” to Was the case opened for a reason other" in face
    assert 'href="#a-FS-opened-other-narrative"' in face
    response = client.post(
        f"{SITE}/cases/{case_id}/status",
        data={"action": "submit", "status_version": "0", "confirmed": "1"},
        follow_redirects=True,
    )
    assert "The case is not complete" in response.get_data(as_text=True)
    with demo.app_context():
        assert db.session.get(Case, case_id).status == "in_progress"
