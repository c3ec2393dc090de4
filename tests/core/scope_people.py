"""The limited people of the scope table and the Southern-region rows they must not reach.

Made once per database through the real operations (``replayed``), beside the ids
of the route table (tests/core/test_access_table.py), on the demo CQI site:

- ``qa_north`` and ``leader`` of the demo (QA level 1 on the Northern region, Site
  Leader of Adams County), and three made here on the Northern region: a state
  administrator, an observer and a reviewer;
- ``reviewer_south``, a reviewer limited to the Southern region (a person outside
  the limited administrator's scope);
- cases in all four local sites (as the ``both_regions`` fixture adds them), an
  interview in Clark County with a QA thread, a QA thread on a Clark County case and
  a caseload move of a Dawson County case, whose ids name the out-of-scope objects;
  for the Site Leader, a case, interview and threads of Baker County too.
"""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.periods.models import ReviewPeriod
from review_app.qa.models import Comment, Thread
from review_app.sites.models import LocalSite, Region
from review_app.sites.queries import site_by_slug
from review_app.tokens.operations import create_token
from tests.conftest import PASSWORD, login
from tests.core.test_access_table import _made_ids, _sign_in_everyone
from tests.transactions import replayed

# Each limited person and the unlimited person of the route table holding the same roles:
# the routes that person may call are the ones checked. A Site Leader holds QA level 1.
PEOPLE = {
    "qa_north": "qa",
    "leader": "qa",
    "admin_north": "admin",
    "observer_north": "observer",
    "reviewer_north": "reviewer",
}
# The limited people made here: full name, roles, region code.
MADE = {
    "admin_north": ("Ada North", RoleSet(is_state_admin=True), "N"),
    "observer_north": ("Otis North", RoleSet(is_observer=True), "N"),
    "reviewer_north": ("Rae North", RoleSet(is_reviewer=True), "N"),
    "reviewer_south": ("Sully South", RoleSet(is_reviewer=True), "S"),
}
SOUTH_INTERVIEW = "Riverside judges panel"
# A cross-tabulation whose cases and table the analysis downloads give.
ANALYSIS = "?rows=item:4&columns=case:case_type"
ANALYSIS_QUERIES = {
    endpoint: [ANALYSIS]
    for endpoint in ("analysis.cases", "analysis.cases_download", "analysis.table_download")
}
# The PDF of a period's finalized cases takes seconds: one person's is made and read.
PDF_JOB = "qa_north"
# Local sites each person's scope leaves out (the leader leads Adams County alone).
OUTSIDE = {
    **{who: ("Clark County", "Dawson County") for who in PEOPLE},
    "leader": ("Baker County", "Clark County", "Dawson County"),
}


# The limited people's job files, apart from other tests' (which remove the files of
# jobs whose rows their own test does not have).
JOBS_DIR = Path(tempfile.mkdtemp(prefix="review-app-scope-jobs-"))


@dataclass
class Prepared:
    """What the scope table's tests read: ids, sign-ins, tokens and the words to look for."""

    ids: dict  # in every limited person's scope (Adams County)
    south: dict  # the same names, for objects of the Southern region
    baker: dict  # Southern, but the case, its thread, interview and local site of Baker County
    cookies: dict[str, str]
    tokens: dict[str, str]
    jobs: dict[str, list[int]]  # each person's own finished jobs (a PDF, a source file)
    numbers: dict[str, list[str]] = field(default_factory=dict)  # case numbers by local site
    finalized: dict[str, int] = field(default_factory=dict)  # finalized cases by local site
    # Query strings a route is read with (one read each), where it shows rows only with one.
    queries: dict[str, list[str]] = field(default_factory=dict)


def prepared(app: Flask) -> Prepared:
    """Return the scope table's data, made once per database (see the module's text)."""
    return replayed(app, "scope table", lambda: _build(app))


def _build(app: Flask) -> Prepared:
    ids = _made_ids(app)
    cookies = _sign_in_everyone(app)
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        people = _people(site)
        _add_cases_in_both_regions(site)
        ids, south, baker = _in_and_out(site, ids, people)
        tokens = {}
        for who in [*PEOPLE, "qa"]:
            _, tokens[who] = create_token(None, people[who], site, "scope table")
        numbers: dict[str, list[str]] = {}
        finalized: dict[str, int] = {}
        for case in db.session.scalars(select(Case).where(Case.site_id == site.id)):
            place = case.local_site.name
            numbers.setdefault(place, []).append(case.case_number)
            finalized[place] = finalized.get(place, 0) + (case.status == CaseStatus.FINALIZED)
        queries = {**ANALYSIS_QUERIES, "plans.cases": _plan_windows(ids["plan_id"])}
        db.session.commit()
    for who in PEOPLE:
        client = app.test_client()
        login(client, who)
        cookies[who] = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    jobs = {who: _start_jobs(app, cookies[who], ids["period_id"], who == PDF_JOB) for who in PEOPLE}
    return Prepared(ids, south, baker, cookies, tokens, jobs, numbers, finalized, queries)


def _people(site) -> dict[str, User]:
    from review_app.accounts.operations import create_user
    from review_app.members.operations import grant_access

    for username, (name, roles, region_code) in MADE.items():
        user = create_user(None, username, name, PASSWORD)
        region = db.session.scalar(
            select(Region).where(Region.site_id == site.id, Region.code == region_code)
        )
        grant_access(None, site, user, roles, places=([region], []))
    db.session.flush()
    return {user.username: user for user in db.session.scalars(select(User))}


def _add_cases_in_both_regions(site) -> None:
    """Add the cases of the ``both_regions`` fixture (tests/conftest.py)."""
    from review_app.cases.operations import create_case
    from review_app.demo.bulk import seed_finalized_bulk
    from review_app.demo.cases import case_facts

    period = _period(site)
    people = {user.username: user for user in db.session.scalars(select(User))}
    for index in (2, 3):
        create_case(None, period, case_facts(period, index, [people["reviewer"]]))
    seed_finalized_bulk(period, people, 8)
    db.session.flush()


def _period(site) -> ReviewPeriod:
    return db.session.scalar(
        select(ReviewPeriod).where(ReviewPeriod.site_id == site.id).order_by(ReviewPeriod.id)
    )


def _local(site, name: str) -> LocalSite:
    return db.session.scalar(
        select(LocalSite).where(LocalSite.site_id == site.id, LocalSite.name == name)
    )


def _in_progress_case_of(site, local: LocalSite, reviewer: User | None = None) -> Case:
    return next(
        case
        for case in db.session.scalars(
            select(Case)
            .where(Case.site_id == site.id, Case.local_site_id == local.id)
            .order_by(Case.id)
        )
        if case.status == CaseStatus.IN_PROGRESS
        and (reviewer is None or reviewer in case.reviewers)
    )


def _membership_id(site, user: User) -> int:
    return db.session.scalar(
        select(Membership.id).where(Membership.site_id == site.id, Membership.user_id == user.id)
    )


def _in_and_out(site, ids: dict, people: dict[str, User]) -> tuple[dict, dict, dict]:
    """Return the ids inside every limited scope (Adams County), their Southern twins and
    their Baker County twins (outside the Site Leader's Adams County alone)."""
    from review_app.qa.operations import move_caseload, reassign

    adams, baker, clark, dawson = (
        _local(site, n) for n in ("Adams County", "Baker County", "Clark County", "Dawson County")
    )
    inside_case = _in_progress_case_of(site, adams, people["reviewer"])
    # The limited reviewer reviews it too, so their case pages are read.
    reassign(people["admin"], inside_case, people["reviewer"], people["reviewer_north"], True)
    inside = {
        **ids,
        "case_id": inside_case.id,
        "thread_id": _thread(inside_case, people["qa"]),
        "local_site_id": adams.id,
        "membership_id": _membership_id(site, people["reviewer_north"]),
        **_interview(site, adams, people, ""),
        "request_id": _request(site, "asker_adams", adams),
    }
    clark_case = _in_progress_case_of(site, clark, people["reviewer"])
    dawson_case = _in_progress_case_of(site, dawson, people["reviewer"])
    _, move = move_caseload(
        people["admin"], site, people["reviewer"], people["reviewer_south"], {dawson_case.id}
    )
    south = {
        **inside,
        "case_id": clark_case.id,
        "thread_id": _thread(clark_case, people["qa"]),
        "local_site_id": clark.id,
        "membership_id": _membership_id(site, people["reviewer_south"]),
        "entry_id": move.id,
        **_interview(site, clark, people, SOUTH_INTERVIEW),
        "request_id": _request(site, "asker_clark", clark),
    }
    baker_case = _in_progress_case_of(site, baker)
    baker_ids = {
        **south,
        "case_id": baker_case.id,
        "thread_id": _thread(baker_case, people["qa"]),
        "local_site_id": baker.id,
        **_interview(site, baker, people, ""),
        "request_id": _request(site, "asker_baker", baker),
    }
    return inside, south, baker_ids


def _request(site, username: str, local: LocalSite) -> int:
    """Return a waiting access request of a new person for ``local`` alone."""
    from review_app.access_requests.operations import submit_request
    from review_app.accounts.operations import create_user

    asker = create_user(None, username, f"Asker of {local.code}", PASSWORD)
    roles = RoleSet(is_reviewer=True)
    asked = submit_request(asker, site, roles, True, [], [local], "I review there.")
    db.session.flush()
    return asked.id


def _thread(case: Case, qa: User) -> int:
    thread = Thread(case_id=case.id, item_id="1", created_by_id=qa.id, case_status=case.status)
    thread.comments.append(Comment(author_id=qa.id, body="A question."))
    db.session.add(thread)
    db.session.flush()
    return thread.id


def _interview(site, local: LocalSite, people: dict[str, User], title: str) -> dict:
    """Make an interview of "reviewer" in ``local``, with a QA thread on it.

    The limited reviewer takes notes too, so their interview pages are read.
    """
    from review_app.interviews.facts import InterviewFacts
    from review_app.interviews.operations import create_interview, start_thread

    period = _period(site)
    reviewer = people["reviewer"]
    interview = create_interview(
        reviewer,
        period,
        InterviewFacts(
            held_on=period.pur_end,
            local_site=local,
            title=title,
            stakeholder_types=["judges"],
            interviewer=reviewer,
            official_note_taker=reviewer,
            supporting=[people["reviewer_north"]],
        ),
    )
    thread = start_thread(people["qa"], interview, "20", "Which courts were these?")
    db.session.flush()
    return {"interview_id": interview.id, "interviews:thread_id": thread.id}


def _plan_windows(plan_id: int) -> list[str]:
    """Return the query of the case list behind the plan's first figure, for each window."""
    from review_app.core.models import utcnow
    from review_app.plans.models import Plan
    from review_app.plans.queries import due_windows

    plan = db.session.get(Plan, plan_id)
    measure = plan.measures[0]
    count = 1 + len(due_windows(plan, utcnow().date()))
    return [f"?figure={measure.kind}:{measure.ref}&window={i}" for i in range(count)]


def _start_jobs(app: Flask, cookie: str, period_id: int, pdf: bool) -> list[int]:
    """Start the period's source data file (and its PDF) as this person; return the job ids.

    Jobs run at once in the tests (``JOBS_IMMEDIATE``). People who may start neither
    (reviewers) get none.
    """
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    jobs = []
    urls = [f"/demo/cqi/exports/periods/{period_id}/source.csv/prepare"]
    if pdf:
        urls.append(f"/demo/cqi/reports/periods/{period_id}/finalized-pdf")
    for url in urls:
        response = client.post(url)
        if response.status_code == 303:
            jobs.append(int(response.location.rstrip("/").split("/")[-1]))
    return jobs
