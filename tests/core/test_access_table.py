"""Who may call which route: one row per route and method, checked for every kind of user.

A route added without a row here fails ``test_every_route_has_a_row``; a route
added without an access rule is refused by the app (``test_route_without_rule``).
"""

import pytest
from flask import Flask
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Assignment, Case
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.periods.models import ReviewPeriod
from review_app.plans.models import Plan
from review_app.qa.models import Comment, Thread
from review_app.sites.models import LocalSite, Region
from review_app.sites.queries import site_by_slug
from review_app.tokens.operations import create_token
from tests.conftest import login
from tests.transactions import replayed

WHO = ("anonymous", "sysadmin", "outsider", "observer", "reviewer", "qa", "admin")
EVERYONE = set(WHO)
SIGNED_IN = EVERYONE - {"anonymous"}
MEMBERS = {"observer", "reviewer", "qa", "admin"}
ADMIN = {"admin"}
SYSTEM = {"sysadmin"}

ACCESS: dict[tuple[str, str], set[str]] = {
    ("accounts.login", "GET"): EVERYONE,
    ("accounts.login", "POST"): EVERYONE,
    ("accounts.home", "GET"): SIGNED_IN,
    ("accounts.favicon", "GET"): EVERYONE,
    ("accounts.logout", "POST"): SIGNED_IN,
    ("accounts.change_password", "GET"): SIGNED_IN,
    ("accounts.change_password", "POST"): SIGNED_IN,
    # Emailed links are opened before anyone can sign in: the token is the credential.
    ("accounts.forgot_password", "GET"): EVERYONE,
    ("accounts.forgot_password", "POST"): EVERYONE,
    ("accounts.set_password", "GET"): EVERYONE,
    ("accounts.set_password", "POST"): EVERYONE,
    ("sites.home", "GET"): MEMBERS,
    ("sites.local_sites", "GET"): MEMBERS,
    ("sites.new_local_site", "GET"): ADMIN,
    ("sites.new_local_site", "POST"): ADMIN,
    ("sites.edit_local_site", "GET"): ADMIN,
    ("sites.edit_local_site", "POST"): ADMIN,
    ("sites.privacy", "GET"): ADMIN,
    ("sites.privacy", "POST"): ADMIN,
    ("sites.regions", "GET"): ADMIN,
    ("sites.new_region", "GET"): ADMIN,
    ("sites.new_region", "POST"): ADMIN,
    ("sites.edit_region", "GET"): ADMIN,
    ("sites.edit_region", "POST"): ADMIN,
    # The region used is the Southern one, which limits no one's access.
    ("sites.remove_region", "POST"): ADMIN,
    ("sites.import_regions", "GET"): ADMIN,
    ("sites.import_regions", "POST"): ADMIN,
    ("periods.index", "GET"): MEMBERS,
    ("periods.new", "GET"): ADMIN,
    ("periods.new", "POST"): ADMIN,
    ("periods.edit", "GET"): ADMIN,
    ("periods.edit", "POST"): ADMIN,
    ("periods.close", "POST"): ADMIN,
    ("periods.reopen", "POST"): ADMIN,
    ("members.index", "GET"): ADMIN,
    ("members.new", "GET"): ADMIN,
    ("members.new", "POST"): ADMIN,
    ("members.grant", "GET"): ADMIN,
    ("members.grant", "POST"): ADMIN,
    ("members.edit", "GET"): ADMIN,
    ("members.edit", "POST"): ADMIN,
    ("members.remove", "POST"): ADMIN,
    ("members.restore", "POST"): ADMIN,
    ("members.reset_password", "POST"): ADMIN,
    ("members.resend_invitation", "POST"): ADMIN,
    ("members.depart", "GET"): ADMIN,
    ("members.depart", "POST"): ADMIN,
    # Anyone signed in may ask for access to a site (tried on the demo CQI site).
    ("access_requests.mine", "GET"): SIGNED_IN,
    ("access_requests.choose_site", "GET"): SIGNED_IN,
    ("access_requests.ask", "GET"): SIGNED_IN,
    ("access_requests.ask", "POST"): SIGNED_IN,
    # The request used is the demo newcomer's: only they may withdraw it.
    ("access_requests.withdraw", "POST"): set(),
    ("access_admin.index", "GET"): ADMIN,
    ("access_admin.show", "GET"): ADMIN,
    ("access_admin.approve", "POST"): ADMIN,
    ("access_admin.decline", "POST"): ADMIN,
    ("members.import_csv", "GET"): ADMIN,
    ("members.import_csv", "POST"): ADMIN,
    ("audit.index", "GET"): ADMIN,
    ("system.index", "GET"): SYSTEM,
    ("system.new_jurisdiction", "POST"): SYSTEM,
    ("system.jurisdiction", "GET"): SYSTEM,
    ("system.jurisdiction", "POST"): SYSTEM,
    ("system.export_jurisdiction", "POST"): SYSTEM,
    ("system.accounts_index", "GET"): SYSTEM,
    ("system.set_active", "POST"): SYSTEM,
    ("system.audit", "GET"): SYSTEM,
    ("system.health", "GET"): EVERYONE,
    ("system.ready", "GET"): EVERYONE,
    ("cases.index", "GET"): MEMBERS,
    ("cases.mine", "GET"): {"reviewer"},
    ("cases.show", "GET"): MEMBERS,
    ("cases.new", "GET"): ADMIN,
    ("cases.new", "POST"): ADMIN,
    ("cases.edit", "GET"): ADMIN,
    ("cases.edit", "POST"): ADMIN,
    ("cases.import_file", "GET"): ADMIN,
    ("cases.import_file", "POST"): ADMIN,
    # The case used is assigned to "reviewer" alone and in progress.
    ("ratings.item", "GET"): MEMBERS,
    ("ratings.item", "POST"): {"reviewer"},
    ("guidance.glossary", "GET"): MEMBERS,
    ("qa.change_status", "GET"): {"reviewer", "qa", "admin"},
    ("qa.change_status", "POST"): {"reviewer", "qa", "admin"},
    ("qa.take_case", "POST"): {"qa"},
    ("qa.release_case", "POST"): {"qa"},
    ("qa.hand_over", "GET"): ADMIN,
    ("qa.hand_over", "POST"): ADMIN,
    ("qa.undo_return", "POST"): {"qa"},
    ("qa.mine", "GET"): {"qa"},
    ("qa.caseload_move", "GET"): ADMIN,
    ("qa.undo_move", "POST"): ADMIN,
    ("qa.new_thread", "POST"): {"qa"},
    ("qa.reply", "POST"): {"qa", "reviewer"},
    ("qa.resolve", "POST"): {"qa"},
    ("qa.override", "POST"): {"qa"},
    ("qa.history", "GET"): MEMBERS,
    ("qa.queues", "GET"): {"qa", "admin", "observer"},
    ("qa.inbox", "GET"): {"reviewer", "qa"},
    ("qa.caseload", "GET"): ADMIN,
    ("qa.caseload", "POST"): ADMIN,
    # Site Leaders too (tests/leaders); "leader" is not one of WHO.
    ("leaders.assign", "GET"): ADMIN,
    ("leaders.assign_case", "POST"): ADMIN,
    ("leaders.board", "GET"): {"admin", "observer"},
    # The interview used has "reviewer" as interviewer and official note-taker, alone.
    ("interviews.index", "GET"): MEMBERS,
    ("interviews.new", "GET"): {"reviewer"},
    ("interviews.new", "POST"): {"reviewer"},
    ("interviews.show", "GET"): MEMBERS,
    ("interviews.edit", "GET"): {"reviewer"},
    ("interviews.edit", "POST"): {"reviewer"},
    ("interviews.notes", "GET"): {"reviewer"},
    ("interviews.notes", "POST"): {"reviewer"},
    ("interviews.final", "GET"): {"reviewer"},
    ("interviews.final", "POST"): {"reviewer"},
    ("interviews.act", "POST"): {"reviewer", "qa"},
    ("interviews.new_thread", "POST"): {"qa"},
    ("interviews.reply", "POST"): {"qa", "reviewer"},
    ("interviews.resolve", "POST"): {"qa"},
    ("notices.index", "GET"): MEMBERS,
    # The notice opened is reviewer2's: only its recipient may open it (and mark it read).
    ("notices.open", "GET"): set(),
    ("notices.read", "POST"): set(),
    ("notices.mark_all_read", "POST"): MEMBERS,
    ("notices.preferences", "GET"): MEMBERS,
    ("notices.preferences", "POST"): MEMBERS,
    ("systemic.index", "GET"): MEMBERS,
    ("systemic.overview", "GET"): MEMBERS,
    ("systemic.factor", "GET"): MEMBERS,
    ("systemic.item", "GET"): {"qa", "admin", "observer"},
    ("systemic.rate", "POST"): {"qa", "admin"},
    ("performance.index", "GET"): {"qa", "admin", "observer"},
    ("performance.breakdown", "GET"): {"qa", "admin", "observer"},
    ("performance.cases", "GET"): {"qa", "admin", "observer"},
    ("performance.cases_download", "GET"): {"qa", "admin", "observer"},
    ("performance.pdf", "GET"): {"qa", "admin", "observer"},
    ("trends.index", "GET"): {"qa", "admin", "observer"},
    ("trends.cases", "GET"): {"qa", "admin", "observer"},
    ("analysis.index", "GET"): {"qa", "admin", "observer"},
    ("analysis.cases", "GET"): {"qa", "admin", "observer"},
    ("analysis.table_download", "GET"): {"qa", "admin", "observer"},
    ("analysis.cases_download", "GET"): {"qa", "admin", "observer"},
    ("analysis.saved", "GET"): {"qa", "admin", "observer"},
    # Saving changes no case, but observers change nothing.
    ("analysis.save", "POST"): {"qa", "admin"},
    # The saved analysis used is "qa"'s: only the person who saved it may delete it.
    ("analysis.delete", "POST"): {"qa"},
    ("exports.index", "GET"): {"qa", "admin", "observer"},
    ("exports.source", "GET"): {"qa", "admin", "observer"},
    ("exports.prepare", "POST"): {"qa", "admin", "observer"},
    ("quality.index", "GET"): {"qa", "admin", "observer"},
    ("quality.agreement_page", "GET"): {"qa", "admin", "observer"},
    ("tokens.index", "GET"): MEMBERS,
    ("tokens.create", "POST"): MEMBERS,
    # The token acted on is reviewer2's: only its owner may revoke it.
    ("tokens.revoke", "POST"): set(),
    # The API takes tokens only (tests/api checks each role with a token): sessions get 401.
    ("api.periods", "GET"): set(),
    ("api.cases", "GET"): set(),
    ("api.case", "GET"): set(),
    ("api.performance", "GET"): set(),
    # The demo CQI site's improvement plan (review_app/demo/plans.py).
    ("plans.index", "GET"): {"qa", "admin", "observer"},
    ("plans.new", "GET"): ADMIN,
    ("plans.new", "POST"): ADMIN,
    ("plans.show", "GET"): {"qa", "admin", "observer"},
    ("plans.edit", "GET"): ADMIN,
    ("plans.edit", "POST"): ADMIN,
    ("plans.cases", "GET"): {"qa", "admin", "observer"},
    ("plans.progress_pdf", "GET"): {"qa", "admin", "observer"},
    ("plans.progress_xlsx", "GET"): {"qa", "admin", "observer"},
    ("api_docs.openapi", "GET"): EVERYONE,
    # The case used is assigned to "reviewer"; the period is the demo CQI site's.
    ("reports.index", "GET"): {"qa", "admin", "observer"},
    ("reports.case_summary", "GET"): MEMBERS,
    ("reports.case_summary_pdf", "GET"): MEMBERS,
    # Starts the period's PDF on the job queue (a read job: observers may start it).
    ("reports.period_finalized_pdf", "POST"): {"qa", "admin", "observer"},
    # The job used is a finished one of "qa": only the person who started a job sees it.
    ("jobs.index", "GET"): MEMBERS,
    ("jobs.show", "GET"): {"qa"},
    ("jobs.state", "GET"): {"qa"},
    ("jobs.cancel", "POST"): {"qa"},
    ("jobs.retry", "POST"): {"qa"},
    ("jobs.download", "GET"): {"qa"},
    # On the demo Training site: a published answer key, and "reviewer"'s copy of it.
    ("training.keys", "GET"): ADMIN,
    ("training.make_key", "POST"): ADMIN,
    ("training.key", "GET"): ADMIN,
    ("training.explain", "GET"): ADMIN,
    ("training.explain", "POST"): ADMIN,
    ("training.import_key", "GET"): ADMIN,
    ("training.import_key", "POST"): ADMIN,
    ("training.publish", "POST"): ADMIN,
    ("training.withdraw", "POST"): ADMIN,
    ("training.practice", "GET"): {"reviewer"},
    ("training.start", "POST"): {"reviewer"},
    ("training.score", "GET"): MEMBERS,
    ("training.reset", "POST"): {"reviewer"},
    ("training.progress", "GET"): {"qa", "admin", "observer"},
    ("training.trainee", "GET"): {"qa", "admin", "observer"},
}
SITE_ARGS = {"jurisdiction": "demo", "kind": "cqi"}
# Routes tried on another demo site than CQI, by endpoint or by blueprint.
SITE_KINDS = {"training": "training"}


def _routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def _url_args(app: Flask) -> dict:
    """Real ids from the demo CQI site; the person acted on (reviewer2) is none of WHO."""
    return _prepared(app)[0]


def _prepared(app: Flask) -> tuple[dict, dict[str, str]]:
    """The ids of ``_url_args`` and a session cookie per signed-in person of WHO.

    Made once per database and written back for later tests (``replayed``) when the
    test has written nothing yet: the ids' rows and the sign-ins' sessions alike.
    """
    return replayed(app, "access table", lambda: (_made_ids(app), _sign_in_everyone(app)))


def _sign_in_everyone(app: Flask) -> dict[str, str]:
    cookies = {}
    for who in WHO[1:]:
        client = app.test_client()
        login(client, who)
        cookies[who] = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    return cookies


def _client_of(app: Flask, who: str, cookies: dict[str, str]):
    """A test client of ``who``, signed in with the cookie of a replayed sign-in."""
    client = app.test_client()
    if who in cookies:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookies[who])
    return client


def _made_ids(app: Flask) -> dict:
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        reviewer = db.session.scalar(select(User).where(User.username == "reviewer2"))
        return {
            "membership_id": db.session.scalar(
                select(Membership.id).where(
                    Membership.site_id == site.id, Membership.user_id == reviewer.id
                )
            ),
            "period_id": db.session.scalar(
                select(ReviewPeriod.id).where(ReviewPeriod.site_id == site.id)
            ),
            "local_site_id": db.session.scalar(
                select(LocalSite.id).where(LocalSite.site_id == site.id)
            ),
            "region_id": db.session.scalar(
                select(Region.id).where(Region.site_id == site.id, Region.code == "S")
            ),
            "user_id": reviewer.id,
            "code": "demo",
            "case_id": db.session.scalar(
                select(Case.id)
                .join(Assignment)
                .join(User, Assignment.user_id == User.id)
                .where(
                    Case.site_id == site.id,
                    User.username == "reviewer",
                    Case.status == "in_progress",
                    ~Case.assignments.any(Assignment.user_id == reviewer.id),
                )
                .order_by(Case.id)
            ),
            "item_id": "1",
            "request_id": _a_request(),
            "dimension": "local-sites",
            "fmt": "csv",
            "thread_id": _a_thread(site),
            "entry_id": _a_move(site),
            "token_id": _a_token(site, reviewer),
            "token": _a_password_link(reviewer),
            "notice_id": _a_notice(site, reviewer),
            "job_id": _a_job(site),
            "plan_id": db.session.scalar(select(Plan.id).where(Plan.site_id == site.id)),
            "analysis_id": _a_saved_analysis(site),
            **_an_interview(site),
            **_a_practice_case(),
        }


def _a_request() -> int:
    """Return the demo newcomer's pending access request."""
    from review_app.access_requests.models import AccessRequest

    return db.session.scalar(
        select(AccessRequest.id)
        .join(User, AccessRequest.user_id == User.id)
        .where(User.username == "newcomer")
    )


def _a_token(site, user: User) -> int:
    token, _ = create_token(None, user, site, "access table")
    db.session.commit()
    return token.id


def _a_password_link(user: User) -> str:
    from review_app.accounts.link_operations import issue_link
    from review_app.accounts.models import LinkPurpose

    token = issue_link(user, LinkPurpose.INVITE)
    db.session.commit()
    return token


def _a_notice(site, user: User) -> int:
    """Return a notice of ``user`` on the site."""
    from review_app.notices.operations import notify
    from review_app.notices.states import NoticeKind

    (notice,) = notify([user], site, NoticeKind.CASE_ASSIGNED, "Case 1 was assigned to you.", "/")
    db.session.commit()
    return notice.id


def _a_job(site) -> int:
    """Return a finished job "qa" started on the site (its file long gone)."""
    from review_app.jobs.models import Job
    from review_app.jobs.states import JobStatus

    qa = db.session.scalar(select(User).where(User.username == "qa"))
    job = Job(
        user_id=qa.id,
        site_id=site.id,
        kind="period_pdf",
        title="PDF of the finalized cases of a period",
        params={},
        dedupe_key="access table",
        status=JobStatus.DONE,
    )
    db.session.add(job)
    db.session.commit()
    return job.id


def _a_saved_analysis(site) -> int:
    """Return an analysis "qa" saved on the site."""
    from review_app.analysis.operations import save_analysis

    qa = db.session.scalar(select(User).where(User.username == "qa"))
    params = {"rows": "item:1", "columns": "case:case_type"}
    analysis = save_analysis(qa, site, "access table", params, {"rows": "Item 1"})
    db.session.commit()
    return analysis.id


def _a_move(site) -> int:
    """Return a recorded caseload move of the site (of no cases: undoing it changes nothing)."""
    from review_app.audit.operations import record

    admin = db.session.scalar(select(User).where(User.username == "admin"))
    entry = record(admin, "caseload.move", site, "0 case(s) moved", site=site, after={})
    db.session.commit()
    return entry.id


def _a_thread(site) -> int:
    """Return a QA thread on the site's first case, making one when there is none."""
    case = db.session.scalar(select(Case).where(Case.site_id == site.id).order_by(Case.id))
    qa = db.session.scalar(select(User).where(User.username == "qa"))
    thread = Thread(case_id=case.id, item_id="1", created_by_id=qa.id, case_status=case.status)
    thread.comments.append(Comment(author_id=qa.id, body="A question."))
    db.session.add(thread)
    db.session.commit()
    return thread.id


def _an_interview(site) -> dict:
    """Make an interview of "reviewer" alone on the site's period, with a QA thread on it.

    Its ids are given for the interviews' and systemic factors' routes only
    ("blueprint:argument" keys), since other routes use ``thread_id`` and ``item_id`` too.
    """
    from review_app.interviews.facts import InterviewFacts
    from review_app.interviews.operations import create_interview, start_thread

    reviewer = db.session.scalar(select(User).where(User.username == "reviewer"))
    qa = db.session.scalar(select(User).where(User.username == "qa"))
    period = db.session.scalar(select(ReviewPeriod).where(ReviewPeriod.site_id == site.id))
    interview = create_interview(
        reviewer,
        period,
        InterviewFacts(
            held_on=period.pur_end,
            local_site=period.local_sites[0],
            stakeholder_types=["judges"],
            interviewer=reviewer,
            official_note_taker=reviewer,
        ),
    )
    thread = start_thread(qa, interview, "20", "Which courts were these?")
    db.session.commit()
    return {
        "interview_id": interview.id,
        "interviews:thread_id": thread.id,
        "systemic:item_id": "20",
        "factor_id": "case_review",
    }


def _a_practice_case() -> dict:
    """Return a published answer key of the demo Training site and "reviewer"'s copy of it.

    Made from the site's first case through the real operations when there is none.
    """
    from review_app.demo.cases import rate_fully
    from review_app.training import key_operations as keys
    from review_app.training import operations as training

    site = site_by_slug("demo", "training")
    admin, reviewer = (
        db.session.scalar(select(User).where(User.username == name))
        for name in ("admin", "reviewer")
    )
    key = db.session.scalar(
        select(Case)
        .where(Case.site_id == site.id, Case.is_key, Case.key_published_at.is_not(None))
        .order_by(Case.id)
    )
    if key is None:
        key = db.session.scalar(select(Case).where(Case.site_id == site.id).order_by(Case.id))
        keys.make_key(admin, key)
        rate_fully(admin, key, seed=key.id, no_rate=0.0)
        keys.publish_key(admin, key)
    copy, _ = training.start_copy(reviewer, key)
    db.session.commit()
    return {"training:key_id": key.id, "training:case_id": copy.id}


def _url(app: Flask, endpoint: str, ids: dict) -> str:
    rule = next(app.url_map.iter_rules(endpoint))
    blueprint = endpoint.partition(".")[0]
    kind = SITE_KINDS.get(endpoint, SITE_KINDS.get(blueprint, SITE_ARGS["kind"]))
    if kind == "training" and "training:key_id" not in ids:
        with app.app_context():
            ids = {**ids, **_a_practice_case()}
    site_args = {**SITE_ARGS, "kind": kind}
    values = {
        name: ids.get(f"{blueprint}:{name}", ids.get(name, site_args.get(name)))
        for name in rule.arguments
    }
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def _allowed(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return False
    # Sent to sign in first (logout's own redirect to /login carries no "next").
    return not (response.status_code == 302 and response.location.startswith("/login?next="))


def _snapshot(app: Flask) -> dict:
    with app.app_context():
        connection = db.session.connection()
        return {
            table.name: connection.execute(
                table.select().order_by(*table.primary_key.columns)
            ).fetchall()
            for table in db.metadata.sorted_tables
        }


def test_every_route_has_a_row(app):
    routes = _routes(app)
    assert routes - ACCESS.keys() == set(), "routes missing from ACCESS: give each an expected rule"
    assert ACCESS.keys() - routes == set(), "ACCESS names routes that do not exist"


# The export reads on a connection of its own, which sees committed rows only.
OWN_CONNECTION = {("system.export_jurisdiction", "POST")}


def _with_marks(rows):
    return [
        pytest.param(*row, marks=pytest.mark.real_commits) if row in OWN_CONNECTION else row
        for row in rows
    ]


@pytest.mark.one_database
@pytest.mark.parametrize(("endpoint", "method"), _with_marks(sorted(ACCESS)))
def test_route_allows_exactly_its_roles(demo, endpoint, method):
    ids, cookies = _prepared(demo)
    url = _url(demo, endpoint, ids)
    wrong = []
    for who in WHO:
        client = _client_of(demo, who, cookies)
        response = client.open(url, method=method, data={}, buffered=True)
        allowed = _allowed(response)
        if allowed != (who in ACCESS[(endpoint, method)]):
            wrong.append(f"{who}: {response.status_code} {response.location or ''}")
        if not allowed and who == "anonymous" and endpoint.startswith("api."):
            assert response.status_code == 401  # the API answers in JSON, no sign-in page
        elif not allowed and who == "anonymous":
            assert response.status_code == 302 and response.location.startswith("/login?next=")
    assert not wrong, f"{method} {url}: " + "; ".join(wrong)


# Observers may start jobs that only read (a period's PDF): that makes a job of their own.
OBSERVER_READ_JOBS = {("reports.period_finalized_pdf", "POST"), ("exports.prepare", "POST")}


@pytest.mark.one_database
# Signing out changes only the observer's own session record (and audits it); asking
# for a reset link records the request, as it does for anyone.
@pytest.mark.parametrize(
    ("endpoint", "method"),
    sorted(
        k
        for k in ACCESS
        if k[1] == "POST"
        and k[0] not in ("accounts.logout", "accounts.forgot_password")
        and k not in OBSERVER_READ_JOBS
    ),
)
def test_observer_changes_nothing(demo, endpoint, method):
    ids, cookies = _prepared(demo)
    url = _url(demo, endpoint, ids)
    client = _client_of(demo, "observer", cookies)
    before = _snapshot(demo)
    client.post(
        url,
        data={
            "name": "x",
            "code": "x",
            "username": "x",
            "display_name": "x",
            "pur_end": "2030-01-01",
            "reviewer": "y",
            "active": "0",
        },
    )
    assert _snapshot(demo) == before


def test_route_without_rule_is_refused(demo):
    from tests.conftest import make_app

    app = make_app(demo.config["SQLALCHEMY_DATABASE_URI"])
    app.add_url_rule("/forgotten", "forgotten", lambda: "open")
    client = app.test_client()
    login(client, "admin")
    assert client.get("/forgotten").status_code == 403


def test_unknown_site_and_other_jurisdiction_are_not_found(demo, client):
    login(client, "admin")
    assert client.get("/nowhere/cqi/").status_code == 404
    assert client.get("/demo/nokind/").status_code == 404
    assert client.get("/other/cqi/").status_code == 404
    assert client.get("/other/cqi/admin/users").status_code == 404
