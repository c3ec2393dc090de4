"""Security headers, caching, cookie flags, CSRF lifetime and request size limits."""

import io
import re

import pytest

from review_app import create_app
from review_app.config import PROJECT_ROOT
from review_app.core.queue import init_queue
from review_app.periods.queries import periods
from review_app.sites.queries import site_by_slug
from tests.conftest import PASSWORD, dispose, make_app

TEMPLATES = PROJECT_ROOT / "review_app" / "templates"


def _period_id(app) -> int:
    with app.app_context():
        return periods(site_by_slug("demo", "cqi"))[-1].id


def _check_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_downloads_errors_and_the_api_carry_the_headers(demo, clients):
    client = clients("admin")
    period = _period_id(demo)
    for url in (
        "/login",
        "/demo/cqi/",
        "/demo/cqi/cases",
        f"/demo/cqi/exports/periods/{period}/source.csv",
        "/demo/cqi/no-such-page",
        "/api/v1/demo/cqi/periods",
    ):
        _check_headers(client.get(url))


def test_static_files_may_be_cached(demo, client):
    response = client.get("/static/app.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_hsts_only_over_https(demo, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Without a configured proxy, anyone can send X-Forwarded-Proto: it says nothing.
    claimed = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in claimed.headers


def test_templates_have_no_inline_script_handlers_or_styles():
    """The CSP allows neither; a template that needs them would break in the browser."""
    faults = []
    for path in TEMPLATES.rglob("*.html"):
        if "_pdf" in path.name or path.parent.name == "pdf":
            continue  # PDFs are drawn by xhtml2pdf on the server, never by a browser
        if path.parent.name == "mail":
            continue  # email is read in a mail program, which ignores style sheets, not the CSP
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")",
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            r"javascript:",
            r"<style",
        ):
            faults += [
                f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in re.finditer(pattern, text)
            ]
    assert faults == []


@pytest.mark.parametrize(
    ("override", "secure"),
    [
        ({}, True),
        ({"COOKIE_SECURE": False}, False),
        ({"DEBUG": True}, False),
        ({"TESTING": True}, False),
    ],
)
def test_cookies_are_secure_outside_development(db_app, override, secure, tmp_path):
    app = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": db_app.config["SQLALCHEMY_DATABASE_URI"],
            "COOKIE_SECURE": None,
            **override,
        }
    )
    try:
        assert app.config["SESSION_COOKIE_SECURE"] is secure
        assert app.config["REMEMBER_COOKIE_SECURE"] is secure
    finally:
        # A production app binds the one queue to a file, not run at once: give the
        # other tests theirs back (a later job test would wait on it for ever).
        dispose(app)
        init_queue(db_app)


def test_secure_cookie_is_sent_with_the_secure_flag(demo):
    app = make_app(demo.config["SQLALCHEMY_DATABASE_URI"], COOKIE_SECURE=True)
    client = app.test_client()
    response = client.post("/login", data={"username": "observer", "password": PASSWORD})
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_csrf_tokens_last_no_longer_than_a_sign_in(db_app):
    hours = db_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    assert db_app.config["WTF_CSRF_TIME_LIMIT"] == hours


def test_signing_in_renews_the_csrf_secret(demo):
    app = make_app(demo.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True)
    client = app.test_client()

    def token(url):
        page = client.get(url).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    before = token("/login")
    response = client.post(
        "/login", data={"username": "qa", "password": PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 302
    # The token of the signed-out page no longer works for the signed-in session.
    refused = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "x" * 12,
            "confirm_password": "x" * 12,
            "csrf_token": before,
        },
    )
    assert refused.status_code == 400
    client.post("/logout", data={"csrf_token": token("/account/password")})
    assert token("/login") != before


def test_a_huge_sign_in_post_is_refused_unread(demo, client):
    # A file part is spooled to disk, not held in memory: only the request limit stops it.
    response = client.post(
        "/login",
        data={"username": "x", "password": "y", "blob": (io.BytesIO(b"x" * 17_000_000), "f")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "What you sent is too large" in page and "16 MB" in page and "usa-header" in page


def test_a_huge_form_field_in_memory_is_refused(demo, clients):
    client = clients("admin")
    response = client.post(
        "/demo/cqi/periods/new",
        data={"name": "x" * (9 * 1024 * 1024)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_the_api_refuses_a_huge_body_with_json(demo, client):
    response = client.get("/api/v1/demo/cqi/periods", data=b"x" * (17 * 1024 * 1024))
    assert response.status_code == 413 and response.is_json


def test_a_file_over_the_importers_limit_reaches_the_importer(demo, clients):
    """The request limit sits above the documented 5 MB import, so the importer explains."""
    client = clients("admin")
    response = client.post(
        "/demo/cfsr/cases/import",
        data={"file": (io.BytesIO(b"x" * 6_000_000), "sample.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code != 413
