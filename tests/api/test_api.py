"""The read API: tokens, the same permission checks as the pages, JSON errors, OpenAPI."""

from datetime import timedelta

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Assignment, Case
from review_app.cases.operations import create_case
from review_app.core.models import utcnow
from review_app.demo.cases import case_facts
from review_app.extensions import db
from review_app.periods.queries import periods
from review_app.sites.queries import site_by_slug
from review_app.tokens.models import ApiToken
from review_app.tokens.operations import create_token
from tests.conftest import login
from tests.performance.conftest import add_finalized, set_minimum

API = "/api/v1/demo/cqi"
ROLES = ("admin", "qa", "observer", "reviewer")


def make_token(app, username: str, kind: str = "cqi") -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        _, secret = create_token(None, user, site_by_slug("demo", kind), "tests")
        db.session.commit()
        return secret


def get(client, url: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, headers=headers)


def _case_ids(app):
    """(a case assigned to reviewer, a new case of reviewer2 alone) on demo/cqi."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        reviewer, reviewer2 = (
            db.session.scalar(select(User).where(User.username == name))
            for name in ("reviewer", "reviewer2")
        )
        mine = select(Assignment.case_id).where(Assignment.user_id == reviewer.id)
        own = db.session.scalar(select(Case.id).where(Case.site_id == site.id, Case.id.in_(mine)))
        period = periods(site)[-1]
        other = create_case(None, period, case_facts(period, 50, [reviewer2]))
        db.session.commit()
        return own, other.id


@pytest.mark.parametrize("who", ROLES)
def test_each_endpoint_answers_each_role_as_the_pages_do(demo, who):
    client = demo.test_client()
    token = make_token(demo, who)
    own, other = _case_ids(demo)
    assert get(client, f"{API}/periods", token).status_code == 200
    listed = get(client, f"{API}/cases", token).get_json()
    assert get(client, f"{API}/cases/{own}", token).status_code == 200
    expected_other = 403 if who == "reviewer" else 200
    assert get(client, f"{API}/cases/{other}", token).status_code == expected_other
    performance = get(client, f"{API}/performance", token)
    assert performance.status_code == (403 if who == "reviewer" else 200)
    ids = {case["id"] for case in listed["cases"]}
    if who == "reviewer":
        assert own in ids and other not in ids
    else:
        assert {own, other} <= ids and listed["total"] == len(ids)


def test_without_a_usable_token_the_api_refuses_with_json(demo):
    client = demo.test_client()
    assert get(client, f"{API}/cases", None).status_code == 401
    assert get(client, f"{API}/cases", None).get_json()["error"].startswith("Send a personal")
    assert get(client, f"{API}/cases", "rvw_not-a-real-token").status_code == 401
    assert client.get(f"{API}/cases", headers={"Authorization": "Basic abc"}).status_code == 401
    token = make_token(demo, "qa")
    with demo.app_context():
        row = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
        row.expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
    response = get(client, f"{API}/cases", token)
    assert response.status_code == 401 and "expired" in response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_for_one_site_is_refused_on_another(demo):
    client = demo.test_client()
    token = make_token(demo, "admin", "cqi")
    response = get(client, "/api/v1/demo/cfsr/cases", token)
    assert response.status_code == 403 and "not Demo" in response.get_json()["error"]
    assert get(client, "/api/v1/other/cqi/cases", token).status_code == 404
    assert get(client, "/api/v1/nowhere/cqi/cases", token).status_code == 404


def test_a_session_cookie_is_not_enough(demo, client):
    login(client, "admin")
    response = client.get(f"{API}/cases")
    assert response.status_code == 401 and "token only" in response.get_json()["error"]


def test_revoking_on_the_tokens_page_stops_the_token_at_once(demo, client):
    login(client, "qa")
    page = client.post("/demo/cqi/tokens", data={"name": "nightly export", "days": "30"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "shown only this once" in html
    secret = html.split('id="new-token" class="text-bold">')[1].split("<")[0]
    api = demo.test_client()
    assert get(api, f"{API}/cases", secret).status_code == 200
    with demo.app_context():
        token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "nightly export"))
    again = client.get("/demo/cqi/tokens").get_data(as_text=True)
    assert secret not in again and secret[:12] in again
    client.post(f"/demo/cqi/tokens/{token_id}/revoke")
    response = get(api, f"{API}/cases", secret)
    assert response.status_code == 401 and "revoked" in response.get_json()["error"]


def test_one_cannot_revoke_another_persons_token(demo):
    make_token(demo, "qa")
    with demo.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    client = demo.test_client()
    login(client, "admin")
    assert client.post(f"/demo/cqi/tokens/{token_id}/revoke").status_code == 404


def test_a_deactivated_users_token_stops_working(demo):
    token = make_token(demo, "observer")
    with demo.app_context():
        user = db.session.scalar(select(User).where(User.username == "observer"))
        user.is_active = False
        db.session.commit()
    assert get(demo.test_client(), f"{API}/periods", token).status_code == 401


def test_bad_parameters_and_missing_objects_get_json_messages(demo):
    client = demo.test_client()
    token = make_token(demo, "admin")
    for url, status in [
        (f"{API}/cases?page=abc", 400),
        (f"{API}/cases?type=sideways", 400),
        (f"{API}/performance?period=99999", 400),
        (f"{API}/performance?age=ancient", 400),
        (f"{API}/cases/99999999", 404),
    ]:
        response = get(client, url, token)
        assert response.status_code == status, url
        assert response.get_json()["error"], url


def test_performance_figures_match_the_report(demo):
    add_finalized(demo, 3)
    set_minimum(demo, "cqi", 1)  # the page shows three cases' figures in numbers, as the API does
    client = demo.test_client()
    body = get(client, f"{API}/performance", make_token(demo, "observer")).get_json()
    assert body["cases"] == 3 and body["conformity_percent"] == 95
    page = demo.test_client()
    login(page, "observer")
    html = page.get("/demo/cqi/performance").get_data(as_text=True)
    for outcome in body["outcomes"]:
        figure = outcome["substantially_achieved"]["all"]
        if figure["applicable"]:
            assert f"({figure['count']} of {figure['applicable']})" in html


def test_the_openapi_document_is_valid_and_names_every_api_route(demo):
    client = demo.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    routes = {
        rule.rule.removeprefix("/api/v1")
        .replace("<jurisdiction>", "{jurisdiction}")
        .replace("<kind>", "{kind}")
        .replace("<int:case_id>", "{case_id}")
        for rule in demo.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert routes == set(document["paths"])


def test_the_cli_prints_a_working_token(demo):
    runner = demo.test_cli_runner()
    result = runner.invoke(args=["tokens", "create", "qa", "--site", "demo/cqi"])
    assert result.exit_code == 0, result.output
    assert get(demo.test_client(), f"{API}/periods", result.output.strip()).status_code == 200
    bad = runner.invoke(args=["tokens", "create", "qa", "--site", "demo/moon"])
    assert bad.exit_code != 0 and "No site" in bad.output
