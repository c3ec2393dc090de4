"""Assign cases: a Site Leader or state administrator gives the cases of their scope reviewers."""

import re

from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.cases.models import Case
from review_app.cases.operations import assignment_version
from review_app.extensions import db
from review_app.notices.models import Notice
from tests.leaders.conftest import SITE, case_id, reviewers_of, user_id

ADAMS_OPEN, BAKER_OPEN, CLARK_OPEN = "FC-CQI-101", "FC-CQI-102", "IH-CQI-103"
ADAMS_FINALIZED = "FC-CQI-201"


def _seen(app, number: str) -> str:
    with app.app_context():
        return assignment_version(db.session.scalar(select(Case).where(Case.case_number == number)))


def _assign(client, app, number: str, reviewer: str, replace: str = "", seen: str | None = None):
    data = {
        "reviewer": str(user_id(app, reviewer)) if reviewer else "",
        "replace": str(user_id(app, replace)) if replace else "",
        "seen": _seen(app, number) if seen is None else seen,
    }
    return client.post(f"{SITE}/cases/assign/{case_id(app, number)}", data=data)


def _entries(app, number: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry.summary).where(
                    AuditEntry.action == "case.assign",
                    AuditEntry.object_type == "Case",
                    AuditEntry.object_id == case_id(app, number),
                )
            )
        )


def _notices(app, username: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notice.message)
                .where(Notice.recipient_id == user_id(app, username))
                .order_by(Notice.id)
            )
        )


def test_the_leader_lists_the_open_cases_of_their_local_site_only(demo, both_regions, clients):
    page = clients("leader").get(f"{SITE}/cases/assign").get_data(as_text=True)
    assert ADAMS_OPEN in page
    for number in (BAKER_OPEN, CLARK_OPEN, "FC-CQI-104", ADAMS_FINALIZED):
        assert number not in page
    assert "1 case to assign" in page
    # A state administrator of the whole site sees every open case.
    everything = clients("admin").get(f"{SITE}/cases/assign").get_data(as_text=True)
    for number in (ADAMS_OPEN, BAKER_OPEN, CLARK_OPEN, "FC-CQI-104"):
        assert number in everything
    assert ADAMS_FINALIZED not in everything


def test_a_reviewer_is_added_beside_the_others_recorded_and_told(demo, both_regions, clients):
    response = _assign(clients("leader"), demo, ADAMS_OPEN, "reviewer2")
    assert response.status_code == 302
    assert reviewers_of(demo, ADAMS_OPEN) == ["reviewer", "reviewer2"]
    assert _entries(demo, ADAMS_OPEN) == [
        f"Case {ADAMS_OPEN} assigned to Riley Reviewer, Robin Reviewer"
    ]
    assert f"Case {ADAMS_OPEN} was assigned to you." in _notices(demo, "reviewer2")
    page = clients("leader").get(response.location).get_data(as_text=True)
    assert f"Case {ADAMS_OPEN} is now assigned to Riley Reviewer, Robin Reviewer." in page


def test_a_reviewer_replaces_another_who_is_told_too(demo, both_regions, clients):
    response = _assign(clients("leader"), demo, ADAMS_OPEN, "reviewer2", replace="reviewer")
    assert response.status_code == 302
    assert reviewers_of(demo, ADAMS_OPEN) == ["reviewer2"]
    assert f"Case {ADAMS_OPEN} is no longer assigned to you." in _notices(demo, "reviewer")
    assert f"Case {ADAMS_OPEN} was assigned to you." in _notices(demo, "reviewer2")


def test_a_case_outside_the_leaders_local_sites_is_not_found(demo, both_regions, clients):
    leader = clients("leader")
    for number in (CLARK_OPEN, BAKER_OPEN):
        before = reviewers_of(demo, number)
        assert _assign(leader, demo, number, "reviewer2").status_code == 404
        assert reviewers_of(demo, number) == before
    # The state administrator reaches it.
    assert _assign(clients("admin"), demo, CLARK_OPEN, "reviewer2").status_code == 302
    assert reviewers_of(demo, CLARK_OPEN) == ["reviewer", "reviewer2"]


def test_a_reviewer_who_does_not_work_in_the_local_site_is_refused(
    demo, both_regions, clients, south_reviewer
):
    leader = clients("leader")
    page = leader.get(f"{SITE}/cases/assign").get_data(as_text=True)
    assert "Sam South" not in page  # not offered for an Adams County case
    response = _assign(leader, demo, ADAMS_OPEN, "sam_south", replace="reviewer")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and "<title>Error: Assign cases" in text
    assert "Sam South reviews cases of Clark County only, not of Adams County" in text
    # What was chosen is shown again, beside the message.
    assert f'<option value="{user_id(demo, "reviewer")}" selected>Instead of Riley' in text
    assert 'aria-invalid="true"' in text
    assert reviewers_of(demo, ADAMS_OPEN) == ["reviewer"]
    assert _entries(demo, ADAMS_OPEN) == []
    # In Clark County Sam is offered, and the administrator may give him the case.
    everything = clients("admin").get(f"{SITE}/cases/assign").get_data(as_text=True)
    clark_row = everything[everything.index(f">{CLARK_OPEN}<") :]
    assert "Sam South" in clark_row[: clark_row.index("</tr>")]
    assert _assign(clients("admin"), demo, CLARK_OPEN, "sam_south").status_code == 302
    assert reviewers_of(demo, CLARK_OPEN) == ["reviewer", "sam_south"]


def test_a_finalized_case_keeps_its_reviewers(demo, both_regions, clients):
    before = reviewers_of(demo, ADAMS_FINALIZED)
    response = _assign(clients("leader"), demo, ADAMS_FINALIZED, "reviewer2", replace="reviewer")
    assert response.status_code == 422
    assert f"Case {ADAMS_FINALIZED} is finalized: its reviewers stay as they are." in (
        response.get_data(as_text=True)
    )
    assert reviewers_of(demo, ADAMS_FINALIZED) == before


def test_a_page_shown_before_another_change_changes_nothing(demo, both_regions, clients):
    old = _seen(demo, ADAMS_OPEN)
    assert _assign(clients("admin"), demo, ADAMS_OPEN, "reviewer2").status_code == 302
    response = _assign(clients("leader"), demo, ADAMS_OPEN, "reviewer2", "reviewer", seen=old)
    assert response.status_code == 409
    assert "Someone changed case FC-CQI-101 a moment ago; nothing was done." in (
        response.get_data(as_text=True)
    )
    assert reviewers_of(demo, ADAMS_OPEN) == ["reviewer", "reviewer2"]


def test_no_reviewer_chosen_or_a_wrong_one_to_replace_says_so(demo, both_regions, clients):
    leader = clients("leader")
    response = _assign(leader, demo, ADAMS_OPEN, "")
    assert response.status_code == 422
    assert f"Choose a reviewer for case {ADAMS_OPEN}." in response.get_data(as_text=True)
    response = _assign(leader, demo, ADAMS_OPEN, "reviewer2", replace="qa")
    assert response.status_code == 422
    assert "Choose one of the case&#39;s reviewers to replace." in response.get_data(as_text=True)
    # Someone who is no reviewer here, or an account of another site or state: the
    # same answer as no choice, naming no one (the form tells nothing of other accounts).
    for other in ("qa", "outsider", "sysadmin"):
        response = _assign(leader, demo, ADAMS_OPEN, other)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert f"Choose a reviewer for case {ADAMS_OPEN}." in page
        assert f"{other} is not" not in page
    # Nonsense in the form is refused the same way, never a server error.
    response = leader.post(
        f"{SITE}/cases/assign/{case_id(demo, ADAMS_OPEN)}", data={"reviewer": "x", "replace": "-1"}
    )
    assert response.status_code == 422
    assert reviewers_of(demo, ADAMS_OPEN) == ["reviewer"]


def test_only_leaders_and_state_administrators_assign(demo, both_regions, clients):
    for who in ("qa", "qa_north", "reviewer", "observer"):
        assert clients(who).get(f"{SITE}/cases/assign").status_code == 403
        assert _assign(clients(who), demo, ADAMS_OPEN, "reviewer2").status_code == 403
    assert reviewers_of(demo, ADAMS_OPEN) == ["reviewer"]


def test_the_filters_narrow_the_list_and_survive_an_assignment(demo, both_regions, clients):
    admin = clients("admin")
    page = admin.get(f"{SITE}/cases/assign?unassigned=1").get_data(as_text=True)
    assert "0 cases to assign" in page
    response = admin.post(
        f"{SITE}/cases/assign/{case_id(demo, CLARK_OPEN)}?status=in_progress&page=2&case_id=9",
        data={"reviewer": str(user_id(demo, "reviewer2")), "seen": _seen(demo, CLARK_OPEN)},
    )
    assert response.status_code == 302
    assert re.search(r"/assign\?status=in_progress&page=2$", response.location)
    # Query arguments other than the list's own are dropped, never passed on.
    page = admin.get(f"{SITE}/cases/assign?status=in_progress&case_id=1").get_data(as_text=True)
    assert f'/assign/{case_id(demo, ADAMS_OPEN)}?status=in_progress"' in page


def test_the_header_and_site_home_offer_the_pages_to_leaders_and_administrators(demo, clients):
    for who in ("leader", "admin"):
        page = clients(who).get(f"{SITE}/").get_data(as_text=True)
        assert page.count(f'href="{SITE}/cases/assign"') == 2  # header menu and site home
        assert page.count(f'href="{SITE}/cases/progress"') == 2
    for who in ("qa", "reviewer", "observer"):
        page = clients(who).get(f"{SITE}/").get_data(as_text=True)
        assert "/cases/assign" not in page and "/cases/progress" not in page


def test_the_case_history_lists_the_assignment_among_people_changes(demo, both_regions, clients):
    assert _assign(clients("leader"), demo, ADAMS_OPEN, "reviewer2").status_code == 302
    history = clients("admin").get(f"{SITE}/cases/{case_id(demo, ADAMS_OPEN)}/history?kind=people")
    page = history.get_data(as_text=True)
    assert f"Case {ADAMS_OPEN} assigned to Riley Reviewer, Robin Reviewer" in page
    assert "Reviewers: Riley Reviewer → Riley Reviewer; Robin Reviewer" in page
