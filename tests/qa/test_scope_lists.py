"""QA queues, inboxes, held cases and threads of a person limited to a region."""

import pytest
from sqlalchemy import select

from review_app.cases.models import Assignment, Case
from review_app.cases.states import CaseStatus
from review_app.core.models import utcnow
from review_app.extensions import db
from review_app.qa.models import Thread
from review_app.qa.operations import start_thread
from review_app.sites.queries import site_by_slug
from tests.scoped import limit_to_region, user

SITE = "/demo/cqi"


@pytest.fixture
def scene(demo, both_regions) -> dict[str, dict[str, str]]:
    """A case of each region submitted, one held by qa_north with a QA comment, one returned.

    Returns the case numbers by role in the scene ("submitted", "held", "returned"),
    each with a "north" and a "south" case; "reviewer" is a reviewer of all of them.
    """
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        cases = {
            case.case_number: case
            for case in db.session.scalars(select(Case).where(Case.site_id == site.id))
        }

        def pick(local: str, status: CaseStatus | None = None) -> Case:
            return next(
                case
                for _number, case in sorted(cases.items())
                if case.local_site.name == local and (status is None or case.status == status)
            )

        chosen = {
            "submitted": (
                pick("Adams County", CaseStatus.IN_PROGRESS),
                pick("Clark County", CaseStatus.IN_PROGRESS),
            ),
            "held": (pick("Baker County"), pick("Dawson County", CaseStatus.IN_PROGRESS)),
            "returned": (
                pick("Adams County", CaseStatus.FINALIZED),
                pick("Clark County", CaseStatus.FINALIZED),
            ),
        }
        reviewer, qa, qa_north = user("reviewer"), user("qa"), user("qa_north")
        status = {
            "submitted": CaseStatus.SUBMITTED,
            "held": CaseStatus.QA1,
            "returned": CaseStatus.RETURNED,
        }
        for role, pair in chosen.items():
            for case in pair:
                case.status, case.status_changed_at = status[role], utcnow()
                case.qa_holder_id = qa_north.id if role == "held" else None
                if reviewer.id not in {a.user_id for a in case.assignments}:
                    db.session.add(Assignment(case_id=case.id, user_id=reviewer.id))
        db.session.flush()
        for case in chosen["held"]:
            start_thread(qa, case, "face", None, f"Which date opened case {case.case_number}?")
        db.session.commit()
        return {
            role: {"north": north.case_number, "south": south.case_number}
            for role, (north, south) in chosen.items()
        }


def _page(clients, username: str, path: str) -> str:
    response = clients(username).get(f"{SITE}{path}")
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_the_qa_queues_hold_the_regions_cases_only(clients, scene):
    limited, whole = _page(clients, "qa_north", "/qa"), _page(clients, "qa", "/qa")
    for role in ("submitted", "held", "returned"):
        assert scene[role]["north"] in limited and scene[role]["south"] not in limited, role
        assert scene[role]["north"] in whole and scene[role]["south"] in whole, role


def test_cases_waiting_for_qa_in_the_inbox_are_the_regions(clients, scene):
    limited, whole = _page(clients, "qa_north", "/inbox"), _page(clients, "qa", "/inbox")
    submitted = scene["submitted"]
    assert submitted["north"] in limited and submitted["south"] not in limited
    assert submitted["north"] in whole and submitted["south"] in whole


def test_my_qa_cases_hold_the_regions_cases_only(clients, scene):
    # Both "held" cases name qa_north as their holder; only the Northern one is listed.
    page = _page(clients, "qa_north", "/qa/mine")
    assert scene["held"]["north"] in page and scene["held"]["south"] not in page


def test_a_limited_reviewers_inbox_holds_the_regions_comments_and_returns(demo, clients, scene):
    whole = _page(clients, "reviewer", "/inbox")
    for role in ("held", "returned"):
        assert scene[role]["north"] in whole and scene[role]["south"] in whole, role
    limit_to_region(demo, "reviewer")
    limited = _page(clients, "reviewer", "/inbox")
    for role in ("held", "returned"):
        assert scene[role]["north"] in limited and scene[role]["south"] not in limited, role


def test_threads_and_history_of_a_case_outside_the_region_do_not_exist(demo, clients, scene):
    with demo.app_context():
        case = db.session.scalar(select(Case).where(Case.case_number == scene["held"]["south"]))
        thread = db.session.scalar(select(Thread).where(Thread.case_id == case.id))
        case_id, thread_id = case.id, thread.id
    pages = [f"/cases/{case_id}/history", f"/cases/{case_id}/items/face"]
    for path in pages:
        assert clients("qa_north").get(f"{SITE}{path}").status_code == 404, path
        assert clients("qa").get(f"{SITE}{path}").status_code == 200, path
    reply = f"{SITE}/cases/{case_id}/threads/{thread_id}/replies"
    assert clients("qa_north").post(reply, data={"body": "Seen."}).status_code == 404
    assert clients("qa").post(reply, data={"body": "Seen."}).status_code == 302
