"""Browser tests: the demo served by a real HTTP server and driven by Chromium.

The server runs a second application on the test database with CSRF protection
on, so the forms are exercised as people use them. The suite runs once, on
PostgreSQL when it is among the test databases.
"""

import threading

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import PASSWORD, dispose, make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Wide enough for the USWDS desktop header, where the navigation is not collapsed.
VIEWPORT = {"width": 1280, "height": 900}
# How long a wait for a page or an element may take before the test fails. Only a
# failing test waits this long; a busy machine (other tests, other workers) can
# take several seconds for a page that normally comes in a fraction of one.
TIMEOUT_MS = 30_000


class _QuietRequestHandler(WSGIRequestHandler):
    """Log no line per request, so a failure's captured output stays readable; errors still show."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="session")
def live_app(request, db_app):
    """The application on db_app's database, with CSRF protection on."""
    # Static files cached for the test's duration: no revalidation request on every page.
    app = make_app(
        request.config.review_urls[db_app.config["TEST_DATABASE"]],
        WTF_CSRF_ENABLED=True,
        SEND_FILE_MAX_AGE_DEFAULT=600,
    )
    yield app
    dispose(app)


@pytest.fixture
def live_server(demo, live_app):
    """Serve the demo data on a free local port for one test; return the base URL."""
    server = make_server(
        "127.0.0.1", 0, live_app, threaded=True, request_handler=_QuietRequestHandler
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        expect.set_options(timeout=TIMEOUT_MS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh browser context (no cookies) on the live server."""
    context = browser.new_context(base_url=live_server, viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def people(browser, live_server):
    """A signed-in page per person, each in its own browser context, made on first use."""
    contexts, pages = [], {}

    def page_of(username: str):
        if username not in pages:
            context = browser.new_context(base_url=live_server, viewport=VIEWPORT)
            context.set_default_timeout(TIMEOUT_MS)
            contexts.append(context)
            pages[username] = context.new_page()
            sign_in(pages[username], username)
        return pages[username]

    yield page_of
    for context in contexts:
        context.close()


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form and wait for the page that follows."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))
