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
from review_app.qa.models import Comment, Thread
from review_app.sites.models import LocalSite
from review_app.sites.queries import site_by_slug
from tests.conftest import login

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
    ("accounts.logout", "POST"): SIGNED_IN,
    ("accounts.change_password", "GET"): SIGNED_IN,
    ("accounts.change_password", "POST"): SIGNED_IN,
    ("sites.home", "GET"): MEMBERS,
    ("sites.local_sites", "GET"): MEMBERS,
    ("sites.new_local_site", "GET"): ADMIN,
    ("sites.new_local_site", "POST"): ADMIN,
    ("sites.edit_local_site", "GET"): ADMIN,
    ("sites.edit_local_site", "POST"): ADMIN,
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
    ("members.import_csv", "GET"): ADMIN,
    ("members.import_csv", "POST"): ADMIN,
    ("audit.index", "GET"): ADMIN,
    ("system.index", "GET"): SYSTEM,
    ("system.new_jurisdiction", "POST"): SYSTEM,
    ("system.jurisdiction", "GET"): SYSTEM,
    ("system.jurisdiction", "POST"): SYSTEM,
    ("system.accounts_index", "GET"): SYSTEM,
    ("system.set_active", "POST"): SYSTEM,
    ("system.audit", "GET"): SYSTEM,
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
    ("qa.change_status", "POST"): {"reviewer", "qa", "admin"},
    ("qa.new_thread", "POST"): {"qa"},
    ("qa.reply", "POST"): {"qa", "reviewer"},
    ("qa.resolve", "POST"): {"qa"},
    ("qa.override", "POST"): {"qa"},
    ("qa.history", "GET"): MEMBERS,
    ("qa.queues", "GET"): {"qa", "admin", "observer"},
    ("qa.inbox", "GET"): {"reviewer", "qa"},
    ("qa.caseload", "GET"): ADMIN,
    ("qa.caseload", "POST"): ADMIN,
}
SITE_ARGS = {"jurisdiction": "demo", "kind": "cqi"}


def _routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def _url_args(app: Flask) -> dict:
    """Real ids from the demo CQI site; the person acted on (reviewer2) is none of WHO."""
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
            "thread_id": _a_thread(site),
        }


def _a_thread(site) -> int:
    """Return a QA thread on the site's first case, making one when there is none."""
    case = db.session.scalar(select(Case).where(Case.site_id == site.id).order_by(Case.id))
    qa = db.session.scalar(select(User).where(User.username == "qa"))
    thread = Thread(case_id=case.id, item_id="1", created_by_id=qa.id, case_status=case.status)
    thread.comments.append(Comment(author_id=qa.id, body="A question."))
    db.session.add(thread)
    db.session.commit()
    return thread.id


def _url(app: Flask, endpoint: str, ids: dict) -> str:
    rule = next(app.url_map.iter_rules(endpoint))
    values = {name: ids.get(name, SITE_ARGS.get(name)) for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def _allowed(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return False
    # Sent to sign in first (logout's own redirect to /login carries no "next").
    return not (response.status_code == 302 and response.location.startswith("/login?next="))


def _snapshot(app: Flask) -> dict:
    with app.app_context(), db.engine.connect() as connection:
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


@pytest.mark.parametrize(("endpoint", "method"), sorted(ACCESS))
def test_route_allows_exactly_its_roles(demo, endpoint, method):
    url = _url(demo, endpoint, _url_args(demo))
    wrong = []
    for who in WHO:
        client = demo.test_client()
        if who != "anonymous":
            login(client, who)
        response = client.open(url, method=method, data={})
        allowed = _allowed(response)
        if allowed != (who in ACCESS[(endpoint, method)]):
            wrong.append(f"{who}: {response.status_code} {response.location or ''}")
        if not allowed and who == "anonymous":
            assert response.status_code == 302 and response.location.startswith("/login?next=")
    assert not wrong, f"{method} {url}: " + "; ".join(wrong)


@pytest.mark.parametrize(("endpoint", "method"), sorted(k for k in ACCESS if k[1] == "POST"))
def test_observer_changes_nothing(demo, endpoint, method):
    client = demo.test_client()
    login(client, "observer")
    url = _url(demo, endpoint, _url_args(demo))
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
