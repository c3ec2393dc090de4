"""Notices about a case or interview reach only people whose access reaches its local site."""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import delete, select, update

from review_app.cases.models import Case
from review_app.cases.signals import reviewers_assigned
from review_app.cases.states import CaseStatus
from review_app.core.models import utcnow
from review_app.core.unit import command_unit
from review_app.extensions import db
from review_app.interviews.models import Interview
from review_app.interviews.signals import merge_ready
from review_app.notices.daily import remind_closing, remind_waiting
from review_app.notices.models import Notice
from review_app.notices.operations import notify
from review_app.notices.states import NoticeKind
from review_app.qa.signals import case_moved
from review_app.sites.models import LocalSite
from review_app.sites.queries import site_by_slug
from tests.core.test_query_counts import counted
from tests.interviews.conftest import make_interview, user
from tests.notices.conftest import told, who
from tests.notices.test_daily import _closing_notices
from tests.scoped import cqi_case_id, local_site_id, make_limited_admin

NORTH = {"Adams County", "Baker County"}


@pytest.fixture
def regions(demo, both_regions):
    """The cases of ``both_regions``, without the notices their adding made."""
    with demo.app_context():
        db.session.execute(delete(Notice))
        db.session.commit()
    return both_regions


def test_notify_about_a_local_site_leaves_out_people_it_is_outside_of(demo, regions):
    clark, adams = local_site_id(demo, "Clark County"), local_site_id(demo, "Adams County")
    with demo.app_context(), command_unit():
        site, people = site_by_slug("demo", "cqi"), [user("qa"), user("qa_north")]
        notify(people, site, NoticeKind.NEW_COMMENT, "South", "/", local_site_id=clark)
        notify(people, site, NoticeKind.NEW_COMMENT, "North", "/", local_site_id=adams)
        notify(people, site, NoticeKind.NEW_COMMENT, "Site", "/")  # about no one place
    assert sorted(told(demo)) == [
        ("qa", "North"), ("qa", "Site"), ("qa", "South"),
        ("qa_north", "North"), ("qa_north", "Site"),
    ]  # fmt: skip


def _arrive(app, local_site: str) -> str:
    case_id = cqi_case_id(app, local_site)
    with app.app_context(), command_unit():
        case = db.session.get(Case, case_id)
        case.status, case.qa_holder_id = CaseStatus.SUBMITTED, None
        case_moved.send(case, actor=user("reviewer"), action="submit")
        return case.case_number


def test_a_case_arriving_in_the_queue_tells_only_qa_staff_reaching_it(demo, regions):
    south = _arrive(demo, "Clark County")
    assert who(demo, NoticeKind.QUEUE_ARRIVAL) == ["qa"]
    assert south in told(demo)[0][1]
    _arrive(demo, "Adams County")
    # The Site Leader of Adams County does first-level QA there.
    assert sorted(who(demo, NoticeKind.QUEUE_ARRIVAL)) == ["leader", "qa", "qa", "qa_north"]


def test_an_assignment_tells_of_the_cases_the_person_reaches_only(demo, regions):
    adams, clark = cqi_case_id(demo, "Adams County"), cqi_case_id(demo, "Clark County")
    with demo.app_context(), command_unit():
        site = site_by_slug("demo", "cqi")
        cases = [db.session.get(Case, adams), db.session.get(Case, clark)]
        north, everyone = user("qa_north"), user("reviewer2")
        reviewers_assigned.send(site, actor=None, assigned=[(c, [north, everyone]) for c in cases])
        numbers = [case.case_number for case in cases]
    assert sorted(told(demo, NoticeKind.CASE_ASSIGNED)) == [
        ("qa_north", f"Case {numbers[0]} was assigned to you."),
        ("reviewer2", f"2 cases were assigned to you: {', '.join(sorted(numbers))}."),
    ]


def test_an_interview_merge_outside_the_note_takers_scope_tells_nobody(demo, regions):
    interview_id = make_interview(demo)
    with demo.app_context(), command_unit():
        interview = db.session.get(Interview, interview_id)
        clark = db.session.get(LocalSite, local_site_id(demo, "Clark County"))
        interview.local_site, interview.official_note_taker = clark, user("qa_north")
        merge_ready.send(interview, actor=user("reviewer2"))
        interview.local_site = db.session.get(LocalSite, local_site_id(demo, "Baker County"))
        merge_ready.send(interview, actor=user("reviewer2"))
    assert who(demo, NoticeKind.MERGE_WAITING) == ["qa_north"]


def _waiting(app, local_site: str, days: int = 6) -> str:
    case_id = cqi_case_id(app, local_site)
    with app.app_context(), command_unit():
        case = db.session.get(Case, case_id)
        case.status, case.qa_holder_id = CaseStatus.SUBMITTED, None
        case.status_changed_at = utcnow() - timedelta(days=days)
        return case.case_number


def test_a_waiting_reminder_lists_for_each_person_the_cases_of_their_scope(demo, regions):
    with demo.app_context(), command_unit():
        db.session.execute(update(Notice).values(read_at=utcnow()).where(Notice.id > 0))
    north, south = _waiting(demo, "Adams County"), _waiting(demo, "Dawson County")
    with demo.app_context(), command_unit():
        remind_waiting()
    notices = dict(told(demo, NoticeKind.QA_WAITING))
    assert north in notices["qa"] and south in notices["qa"]
    assert north in notices["qa_north"] and south not in notices["qa_north"]
    assert notices["qa_north"].startswith("1 case has waited")


def test_the_waiting_reminder_reads_no_more_for_more_cases(demo, regions):
    _waiting(demo, "Adams County")
    with demo.app_context(), command_unit(), counted(demo) as few:
        remind_waiting()
    with demo.app_context(), command_unit():
        db.session.execute(update(Notice).values(created_at=utcnow() - timedelta(days=2)))
    for local in ("Baker County", "Clark County", "Dawson County"):
        _waiting(demo, local)
    with demo.app_context(), command_unit(), counted(demo) as more:
        remind_waiting()
    assert len(more) <= len(few) + 2  # the one notice more per scope group, not per case


def _unfinished_by_region(app, period_id: int) -> tuple[int, int]:
    with app.app_context():
        rows = db.session.scalars(
            select(Case).where(
                Case.period_id == period_id,
                Case.key_case_id.is_(None),
                Case.is_key.is_(False),
                Case.status.not_in(list(CaseStatus.CLOSED)),
            )
        ).all()
        return len(rows), sum(1 for case in rows if case.local_site.name in NORTH)


def test_a_closing_reminder_counts_for_a_limited_administrator_their_cases(demo, regions):
    make_limited_admin(demo)
    with demo.app_context():
        from review_app.periods.models import ReviewPeriod

        site = site_by_slug("demo", "cqi")
        period = db.session.scalar(
            select(ReviewPeriod).where(ReviewPeriod.site_id == site.id).order_by(ReviewPeriod.id)
        )
        period_id, pur_end = period.id, period.pur_end
    every, north = _unfinished_by_region(demo, period_id)
    assert 0 < north < every
    with demo.app_context(), command_unit():
        remind_closing(now=datetime.combine(pur_end - timedelta(days=6), time(6, 0)))
    notices = dict(_closing_notices(demo, site.id))
    assert notices["admin"].endswith(f"with {every} cases unfinished.")
    assert notices["admin_north"].endswith(f"with {north} cases unfinished.")
