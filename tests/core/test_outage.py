"""While the database cannot be reached: a designed 503 with Retry-After, and a readiness check.

These use an app whose database does not exist (nothing listens on the port),
so they need neither SQLite nor PostgreSQL; tests/core/test_outage_restart.py
restarts a real PostgreSQL under load.
"""

import pytest

from tests.conftest import make_app

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere?connect_timeout=2"


@pytest.fixture(scope="module")
def down_app():
    return make_app(UNREACHABLE)


def _signed_in(app):
    """A client whose session names a user, as a browser's would: loading it needs the database."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "x" * 43
        session["_fresh"] = True
    return client


def assert_designed_503(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    page = response.get_data(as_text=True)
    assert "The service is briefly unavailable" in page
    assert "uswds.min.css" in page  # the site's look, not a bare error
    assert "Internal Server Error" not in page


def test_signed_in_page_is_a_designed_503_while_the_database_is_down(down_app):
    # The user is loaded before the view runs: the failure happens in a before_request hook.
    assert_designed_503(_signed_in(down_app).get("/"))


def test_site_page_and_form_post_are_a_designed_503(down_app):
    client = _signed_in(down_app)
    assert_designed_503(client.get("/demo/cqi/"))
    assert_designed_503(client.post("/demo/cqi/local-sites/new", data={"code": "a", "name": "b"}))


def test_anonymous_sign_in_post_is_a_designed_503(down_app):
    response = down_app.test_client().post("/login", data={"username": "a", "password": "b"})
    assert_designed_503(response)


def test_api_answers_json_503(down_app):
    response = down_app.test_client().get(
        "/api/v1/demo/cqi/periods", headers={"Authorization": "Bearer abc"}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json()["status"] == 503


def test_readiness_reports_the_database_and_liveness_does_not_need_it(down_app):
    ready = down_app.test_client().get("/system/ready")
    assert ready.status_code == 503
    assert ready.get_json()["database"] == "unavailable"
    assert ready.headers["Retry-After"].isdigit()
    assert down_app.test_client().get("/system/health").get_json() == {"status": "ok"}
    # Even with a session cookie, whose user cannot be loaded.
    health = _signed_in(down_app).get("/system/health")
    assert health.status_code == 200 and health.get_json() == {"status": "ok"}


def test_readiness_is_ready_when_the_database_answers(app):
    response = app.test_client().get("/system/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok"}
