"""Every answer under /api/ is JSON, parameters are checked as the OpenAPI document says,
and withdrawing a user's credentials revokes their tokens."""

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.accounts.operations import set_account_active
from review_app.api.openapi import document
from review_app.extensions import db
from review_app.tokens.models import ApiToken
from tests.api.test_api import API, get, make_token
from tests.members.conftest import find_membership


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/nowhere", 404),
        ("get", "/api/v1/demo/moon/cases", 404),
        ("get", "/api/v1/nosuch/cqi/cases", 404),
        ("get", f"{API}/cases/abc", 404),
        ("get", f"{API}/nothing-here", 404),
        ("post", f"{API}/cases", 405),
        ("delete", f"{API}/periods", 405),
        ("post", "/api/v1/openapi.json", 405),
        ("get", f"{API}/cases/100000000000000000000", 404),
    ],
)
def test_api_errors_answer_json_never_html(demo, method, url, status):
    client = demo.test_client()
    token = make_token(demo, "admin")
    response = getattr(client, method)(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == status
    assert response.is_json, response.get_data(as_text=True)[:200]
    assert response.get_json()["status"] == status and response.get_json()["error"]


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "status=bogus",
        "status=in_progress%00",
        "period=abc",
        "local_site=1.5",
        "page=%C2%B2",  # a superscript two: str.isdigit() says yes, int() says no
        "period=%C2%B2",
        "type=",
    ],
)
def test_case_list_parameters_are_refused_as_the_document_says(demo, query):
    response = get(demo.test_client(), f"{API}/cases?{query}", make_token(demo, "admin"))
    if query == "type=":
        assert response.status_code == 200  # an empty value means no filter
        return
    assert response.status_code == 400, query
    assert response.is_json and response.get_json()["error"]


def test_the_document_lists_every_status_the_api_accepts(demo):
    from review_app.cases.models import STATUS_LABELS

    parameters = document()["paths"]["/{jurisdiction}/{kind}/cases"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter["schema"] for parameter in parameters}
    assert by_name["status"]["enum"] == list(STATUS_LABELS)
    assert by_name["page"]["minimum"] == 1
    client = demo.test_client()
    token = make_token(demo, "admin")
    for status in by_name["status"]["enum"]:
        assert get(client, f"{API}/cases?status={status}", token).status_code == 200


def _usable_tokens(app, username: str) -> int:
    with app.app_context():
        return len(
            [
                token
                for token in db.session.scalars(
                    select(ApiToken).join(ApiToken.user).where(User.username == username)
                )
                if token.is_usable
            ]
        )


def test_an_administrators_password_reset_revokes_the_users_tokens(demo, clients):
    token = make_token(demo, "reviewer")
    membership = find_membership(demo, "reviewer")
    response = clients("admin").post(f"/demo/cqi/admin/users/{membership.id}/password")
    assert response.status_code == 302
    assert get(demo.test_client(), f"{API}/periods", token).status_code == 401
    assert _usable_tokens(demo, "reviewer") == 0


def test_changing_ones_own_password_keeps_ones_tokens(demo, clients):
    from tests.conftest import PASSWORD

    token = make_token(demo, "qa")
    clients("qa").post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "river-copper-lantern",
            "confirm_password": "river-copper-lantern",
        },
    )
    assert get(demo.test_client(), f"{API}/periods", token).status_code == 200


def test_reactivating_an_account_does_not_revive_its_old_tokens(demo):
    token = make_token(demo, "observer")
    with demo.app_context():
        user = db.session.scalar(select(User).where(User.username == "observer"))
        set_account_active(None, user, False)
        db.session.commit()
        set_account_active(None, user, True)
        db.session.commit()
    assert get(demo.test_client(), f"{API}/periods", token).status_code == 401
    assert _usable_tokens(demo, "observer") == 0


def test_revocations_are_audited(demo):
    from review_app.audit.models import AuditEntry

    make_token(demo, "observer")
    with demo.app_context():
        user = db.session.scalar(select(User).where(User.username == "observer"))
        set_account_active(None, user, False)
        db.session.commit()
        summaries = db.session.scalars(
            select(AuditEntry.summary).where(AuditEntry.action == "token.revoke")
        ).all()
    assert summaries == ["API token “tests” of observer revoked (deactivated)"]


def test_every_documented_choice_is_what_the_code_accepts():
    from review_app.cases.models import CASE_TYPES
    from review_app.performance.queries import AGE_GROUPS, STATUSES

    paths = document()["paths"]
    performance = {
        parameter["name"]: parameter["schema"]
        for parameter in paths["/{jurisdiction}/{kind}/performance"]["get"]["parameters"]
    }
    assert performance["age"]["enum"] == list(AGE_GROUPS)
    assert performance["status"]["enum"] == list(STATUSES)
    assert performance["type"]["enum"] == list(CASE_TYPES)


@pytest.mark.parametrize("query", ["period=99999", "local_site=99999"])
def test_an_id_of_another_site_is_refused_in_the_case_list(demo, query):
    response = get(demo.test_client(), f"{API}/cases?{query}", make_token(demo, "admin"))
    assert response.status_code == 400 and response.get_json()["error"]


def test_giving_back_removed_access_does_not_revive_the_sites_tokens(demo, clients):
    token = make_token(demo, "observer")
    other_site = make_token(demo, "observer", "cfsr")
    admin = clients("admin")
    membership = find_membership(demo, "observer")
    admin.post(f"/demo/cqi/admin/users/{membership.id}/remove")
    admin.post(f"/demo/cqi/admin/users/{membership.id}/restore")
    assert find_membership(demo, "observer").is_active
    assert get(demo.test_client(), f"{API}/periods", token).status_code == 401
    response = get(demo.test_client(), "/api/v1/demo/cfsr/periods", other_site)
    assert response.status_code == 200  # the access kept elsewhere keeps its token


def test_server_errors_and_rate_limits_answer_json_too(demo):
    from werkzeug.exceptions import TooManyRequests

    from review_app.core.access import public
    from tests.conftest import make_app

    app = make_app(demo.config["SQLALCHEMY_DATABASE_URI"], TESTING=False)

    def boom():
        raise RuntimeError("unexpected")

    def slow():
        raise TooManyRequests(retry_after=30)

    app.add_url_rule("/api/v1/boom", "boom", public(boom))
    app.add_url_rule("/api/v1/slow", "slow", public(slow))
    client = app.test_client()
    response = client.get("/api/v1/boom")
    assert response.status_code == 500 and response.get_json()["status"] == 500
    assert "unexpected" not in response.get_data(as_text=True)
    response = client.get("/api/v1/slow")
    assert response.status_code == 429 and response.get_json()["status"] == 429
    assert response.headers["Retry-After"] == "30"
