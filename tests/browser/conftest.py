"""Browser tests: the demo served by a real HTTP server and driven by Chromium.

The server runs a second application on the test database with CSRF protection
on, so the forms are exercised as people use them. The suite runs once, on
PostgreSQL when it is among the test databases.
"""

import threading

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from review_app.accounts.models import UserSession, key_digest
from review_app.extensions import db
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


@pytest.fixture(scope="session")
def live_base(live_app):
    """Serve the test database on a free local port for the whole run; return the base URL.

    One server and one address for every browser test of this process, so the browser
    keeps the style sheets, scripts and fonts it fetched (they are cached for ten minutes)
    and a signed-in page stays valid from one test to the next (``people``).
    """
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


@pytest.fixture
def live_server(demo, live_base):
    """The live server's base URL for one test, on the demo data (put back after the test)."""
    return live_base


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        expect.set_options(timeout=TIMEOUT_MS)
        yield browser
        browser.close()


def new_page(browser, base_url: str, **options):
    """A page in a browser context of its own (no cookies, nothing cached)."""
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


class Pages:
    """This process's browser pages, kept from test to test.

    A new browser context and a sign-in cost Chromium about ten times a page load, and
    most browser tests need one or more people signed in. So each person's page is made
    and signed in once and handed to every later test that asks for that person. After
    a test the page is tidied (other tabs closed, viewport and media back, on a blank
    page so nothing polls the server while the demo is put back) and the sign-in record
    its cookie names is kept: the demo's restore deletes it, and it is written back
    before the page is handed out again. A page signed out during a test is dropped.
    """

    def __init__(self, browser, base_url: str) -> None:
        self.browser, self.base_url = browser, base_url
        self.anonymous = None
        self.signed_in: dict[str, tuple] = {}  # username -> (page, its sign-in record)

    def blank(self):
        if self.anonymous is None:
            self.anonymous = new_page(self.browser, self.base_url)
        self.anonymous.context.clear_cookies()
        return self.anonymous

    def keep_blank(self) -> None:
        """After a test: tidy the page with no one signed in, or drop it."""
        if self.anonymous is not None and not self.tidy(self.anonymous):
            self.anonymous.context.close()
            self.anonymous = None

    def of(self, app, username: str):
        """``username``'s signed-in page, on a blank page: the test opens what it needs.

        Only pages whose sign-in record was still open are kept (``keep``), and the record
        is written back first, so a kept page is signed in without asking the server.
        """
        kept = self.signed_in.pop(username, None)
        if kept is not None:
            page, record = kept
            _write_back(app, record)
            return page
        page = new_page(self.browser, self.base_url)
        sign_in(page, username)
        page.goto("about:blank")  # as a kept page is handed out: no test starts elsewhere
        return page

    def keep(self, app, username: str, page) -> None:
        """After a test: tidy ``username``'s page and keep it, with its sign-in record."""
        if self.tidy(page) and (record := _sign_in_record(app, page)) is not None:
            self.signed_in[username] = (page, record)
        else:
            page.context.close()

    def tidy(self, page) -> bool:
        """Put a handed-out page back as it was; False if that failed (the page is unusable)."""
        try:
            for other in page.context.pages:
                if other is not page:
                    other.close()
            page.goto("about:blank")
            page.set_viewport_size(VIEWPORT)
            page.emulate_media(media="no-override")
        except Exception:
            return False
        return True

    def close(self) -> None:
        pages = [page for page, _record in self.signed_in.values()]
        for page in [*pages, self.anonymous]:
            if page is not None:
                page.context.close()


def _sign_in_record(app, page) -> dict | None:
    """The open sign-in record named by the page's session cookie, or None."""
    name = app.config["SESSION_COOKIE_NAME"]
    value = next((c["value"] for c in page.context.cookies() if c["name"] == name), None)
    if value is None:
        return None
    with app.test_request_context():
        data = app.session_interface.get_signing_serializer(app).loads(value)
    if not (key := data.get("_user_id")):
        return None
    table = UserSession.__table__
    with app.app_context(), db.engine.connect() as connection:
        record = (
            connection.execute(
                table.select().where(table.c.id == key_digest(key), table.c.ended_at.is_(None))
            )
            .mappings()
            .first()
        )
    return dict(record) if record is not None else None


def _write_back(app, record: dict) -> None:
    """Put a kept sign-in record back, as it was when the person signed in."""
    table = UserSession.__table__
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(table.delete().where(table.c.id == record["id"]))
        connection.execute(table.insert(), record)


@pytest.fixture(scope="session")
def kept_pages(browser, live_base):
    pages = Pages(browser, live_base)
    yield pages
    pages.close()


@pytest.fixture
def page(kept_pages, live_server):
    """A page with no one signed in (no cookies) on the live server."""
    yield kept_pages.blank()
    kept_pages.keep_blank()


@pytest.fixture
def fresh_page(browser, live_server):
    """A page in a browser context of its own, for a test that changes the context."""
    page = new_page(browser, live_server)
    yield page
    page.context.close()


@pytest.fixture
def people(kept_pages, live_server, app):
    """A signed-in page per person, made on first use (kept for later tests: ``Pages``)."""
    handed: dict = {}

    def page_of(username: str):
        if username not in handed:
            handed[username] = kept_pages.of(app, username)
        return handed[username]

    yield page_of
    for username, page in handed.items():
        kept_pages.keep(app, username, page)


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form and wait for the page that follows."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))
