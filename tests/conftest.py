"""Test setup: every database test runs on SQLite and on a real PostgreSQL.

PostgreSQL is a throwaway cluster started here (as the ``postgres`` OS user
when run as root), or the empty database named by ``TEST_DATABASE_URL``.
``TEST_DATABASES=sqlite`` (or ``postgresql``) narrows a local run to one.
"""

import gc
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from jinja2 import Undefined
from jinja2.utils import missing
from sqlalchemy import Engine, select, text

from review_app import create_app
from review_app.core.pagecache import clear_pages
from review_app.extensions import db, limiter
from review_app.performance import cache as figure_cache
from tests import pgcluster
from tests.smtpserver import SmtpServer
from tests.transactions import (
    committed_on,
    delete_all,
    in_key_order,
    insert_kept,
    replayed,
    rolled_back,
    shared,
)

DATABASES = [
    name.strip()
    for name in os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",")
    if name.strip()
]
PASSWORD = "test-password-1"
TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "SECRET_KEY": "test-secret",
    # A cheap hash keeps the suite fast; production uses scrypt.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "LOGIN_SLOWDOWN": "3 per minute",
    "LOGIN_LOCK": "6 per 15 minutes",
    # A busy machine must not refuse an ordinary import: the budget itself is tested
    # with a clock the test moves (tests/core/test_tables.py).
    "IMPORT_READ_SECONDS": 600,
    # Queued tasks run at once, in the test's process; tests of the worker start a real one.
    "JOBS_URL": "memory://",
    "JOBS_IMMEDIATE": True,
    # Finished jobs' files (a period's PDF): a folder of this test process, not the instance's.
    "JOBS_DIR": Path(tempfile.mkdtemp(prefix="review-app-jobs-")),
}


# Python's cycle collector runs after every 700 new objects by default: about 7,600 times
# per test process, for 11 % of its CPU, because each request makes and drops thousands
# of ORM and template objects. The modules imported by then are frozen out of its scans
# and it runs after 50,000 new objects (about 340 times, 2 % of the CPU).
COLLECT_AFTER = (50_000, 20, 100)


def pytest_configure(config):
    gc.collect()
    gc.freeze()
    gc.set_threshold(*COLLECT_AFTER)
    # A real SMTP server per test process: every app the tests make sends mail to it.
    config.review_smtp = SmtpServer().start()
    TEST_CONFIG["MAIL_PORT"] = config.review_smtp.port
    TEST_CONFIG["MAIL_SERVER"] = "127.0.0.1"
    config.review_urls = {}
    config.review_cluster = None
    worker = getattr(config, "workerinput", None)  # set in a pytest-xdist worker
    if "sqlite" in DATABASES:
        folder = Path(tempfile.mkdtemp(prefix="review-app-sqlite-"))  # one per worker
        config.review_urls["sqlite"] = f"sqlite:///{folder / 'test.db'}"
    if "postgresql" in DATABASES:
        if url := os.environ.get("TEST_DATABASE_URL"):
            from review_app.config import normalise_database_url

            if worker is not None and worker["workercount"] > 1:
                raise pytest.UsageError(
                    "TEST_DATABASE_URL names one database, but each test worker needs its "
                    "own: run with -n 0 (make test PYTEST_WORKERS=0)."
                )
            config.review_urls["postgresql"] = normalise_database_url(url)
        elif worker is not None:
            # The cluster the controlling process started; a database of this worker's own.
            config.review_cluster = pgcluster.Cluster.from_dict(worker["review_cluster"])
            config.review_cluster.suffix = f"_{worker['workerid']}"
            config.review_urls["postgresql"] = config.review_cluster.create_database("review_test")
        else:
            try:
                config.review_cluster = pgcluster.start()
            except RuntimeError as exc:
                raise pytest.UsageError(str(exc)) from None
            config.review_urls["postgresql"] = config.review_cluster.create_database("review_test")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Tell each pytest-xdist worker where the one PostgreSQL cluster of the run listens."""
    if node.config.review_cluster is not None:
        node.workerinput["review_cluster"] = node.config.review_cluster.to_dict()


def pytest_collection_modifyitems(config, items):
    """Run some tests on one database when both are tested, and a real worker's tests
    with one queue per database (see below).

    Browser tests and ``postgresql_only`` ones run on PostgreSQL: a live server with
    connections of its own, threads racing on row locks. ``one_database`` tests (the
    route x role and scope tables: who may open what is decided in Python, and each
    domain's own tests cover its queries on both databases) run on SQLite, where the
    same requests cost least. A second run would only cost time.
    """
    if "postgresql" not in config.review_urls:
        items.sort(key=_slow_first)
        return

    def run_elsewhere(item) -> bool:
        database = _param(item, "db_app")
        if item.get_closest_marker("browser") or item.get_closest_marker("postgresql_only"):
            return database == "sqlite"
        if item.get_closest_marker("one_database") and "sqlite" in config.review_urls:
            return database == "postgresql"
        # A real worker's tests run each queue once, beside the database it goes with:
        # the embedded SQLite queue with SQLite, Redis with PostgreSQL (production).
        queue = _param(item, "jobs_url")
        return (database, queue) in (("sqlite", "redis"), ("postgresql", "sqlite"))

    kept, deselected = [], []
    for item in items:
        (deselected if run_elsewhere(item) else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = sorted(kept, key=_slow_first)


def _param(item, name: str):
    """The value of a test's parameter ``name`` (``db_app``: its database), or None."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get(name) if callspec else None


def _slow_first(item) -> tuple[int, int]:
    """Order tests PostgreSQL's first, and within a database the slowest kinds first.

    pytest-xdist hands the tests out in this order, so the long ones (a browser, a real
    worker process, mypy) start early on both workers and the short ones fill the end,
    instead of one worker finishing a long test alone. The tests of one database stay
    together: the session's application on a database is made once per worker.
    """
    if item.get_closest_marker("browser"):
        kind = 0
    elif item.get_closest_marker("real_commits") or item.get_closest_marker("static"):
        kind = 1
    else:
        kind = 2
    return (1 if _param(item, "db_app") == "sqlite" else 0, kind)


def pytest_unconfigure(config):
    if getattr(config, "review_smtp", None):
        config.review_smtp.stop()
    # The process that started the cluster stops it; workers only borrowed it.
    if getattr(config, "review_cluster", None) and not hasattr(config, "workerinput"):
        config.review_cluster.stop()


def pytest_report_header(config):
    described = []
    for name, url in config.review_urls.items():
        if name == "postgresql":
            where = (
                f"throwaway cluster on port {config.review_cluster.port}"
                if config.review_cluster
                else "TEST_DATABASE_URL"
            )
            described.append(f"postgresql ({where})")
        else:
            described.append(f"sqlite ({url.removeprefix('sqlite:///')})")
    return f"databases: {', '.join(described)}"


class LoudUndefined(Undefined):
    """An undefined name that fails when it is printed, instead of rendering as nothing.

    Jinja renders an undefined variable as "" without a word, so a link built from a
    name a macro cannot see (``href="{{ cases_url }}?..."``) silently points at the
    page itself. Testing it (``{% if keep_figure %}``, ``is defined``) stays allowed,
    as in production; printing a name no one passed, or joining it to a string, fails
    the test. A missing attribute (``form.csrf_token`` with CSRF off in tests) prints
    as nothing, as before.
    """

    __slots__ = ()

    def _print(self) -> str:
        if self._undefined_obj is missing:  # a name, not an attribute of an object
            self._fail_with_undefined_error()
        return ""

    def __str__(self) -> str:
        return self._print()

    def __add__(self, other):
        return self._print() + other

    def __radd__(self, other):
        return other + self._print()


def make_app(url: str, **extra):
    """Make an application on ``url``; inside a rolled-back test, on that test's connection."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **extra})
    app.jinja_env.undefined = LoudUndefined
    if shared.connection is not None and url == shared.url:
        # A second app on the test's database (other settings, an extra route) must see
        # the rows the test made and not yet committed: give it the test's connection.
        with app.app_context():
            shared.bound.append((app, db.engines[None]))
            db.engines[None] = shared.connection
    return app


def dispose(app) -> None:
    """Close the pooled connections of an app made by a test (not a shared test connection)."""
    with app.app_context():
        engine = db.engines[None]
        if isinstance(engine, Engine):
            engine.dispose()


def reset_schema(app) -> None:
    """Drop everything and build the schema with the migrations, as production does."""
    from flask_migrate import upgrade

    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()


def clear_tables(app) -> None:
    with app.app_context(), db.engine.begin() as connection:
        delete_all(connection)


@pytest.fixture(scope="session", params=DATABASES)
def db_app(request):
    """The application on one database, holding the demo, committed (see ``demo``).

    The suite runs once per database. The demo is made through the real operations
    once; each test then runs inside a transaction rolled back at its end (``app``).
    """
    app = make_app(request.config.review_urls[request.param])
    app.config["TEST_DATABASE"] = request.param
    reset_schema(app)
    _seed(app)
    app.extensions["test_demo_rows"] = _dump(app)
    yield app
    dispose(app)


@pytest.fixture
def app(db_app, request):
    """The application on empty tables, or on the demo when the test asks for ``demo``.

    Each test runs inside one transaction on one connection, rolled back at its end;
    the application's own commits and rollbacks only release or undo savepoints in it.
    A test marked ``real_commits`` (threads, several connections, a live server,
    migrations, backups) commits for real, and the demo is put back after it.
    """
    limiter.reset()  # per-address counters start empty in every test
    with_demo = "demo" in request.fixturenames
    if commits_for_real(request.node):
        if not with_demo:
            clear_tables(db_app)
        with committed_on(demo=with_demo):
            yield db_app
        clear_tables(db_app)
        _restore(db_app, db_app.extensions["test_demo_rows"])
    else:
        with rolled_back(db_app, empty=not with_demo):
            yield db_app
    figure_cache.clear()  # ids are reused once a test's rows are gone
    clear_pages(db_app)


def commits_for_real(item) -> bool:
    """Whether a test needs real commits: marked so, or driving a browser (a live server)."""
    return any(item.get_closest_marker(name) for name in ("real_commits", "browser"))


class Clock:
    """The wall clock (``time.time``) stopped at the test's start; the test moves it."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Stop ``time.time`` (read by the rate limits' windows) until the test advances it.

    A window then passes when the test says so, not after a sleep, and a slow
    machine cannot let it pass early.
    """
    stopped = Clock()
    monkeypatch.setattr(time, "time", stopped)
    return stopped


@pytest.fixture
def mailbox(request):
    """The messages the test SMTP server receives during this test (a live list)."""
    server = request.config.review_smtp
    server.messages.clear()
    return server.messages


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo(app):
    """The demo jurisdiction (see review_app/demo) and a second one, 'other', with one user.

    The data is made through the real operations once per database and committed
    (``db_app``); each test sees it and its changes are rolled back (``app``).
    """
    return app


@pytest.fixture
def clients(demo):
    """A signed-in test client per demo user, made on first use."""
    made = {}

    def client_for(username: str):
        if username not in made:
            made[username] = demo.test_client()
            login(made[username], username)
        return made[username]

    return client_for


@pytest.fixture
def next_round(demo, tmp_path):
    """The demo with a second instrument version, "next-round" (a copy of cfsr-round4)."""
    from review_app.config import PROJECT_ROOT

    folder = tmp_path / "instruments"
    folder.mkdir()
    shutil.copy(PROJECT_ROOT / "instruments" / "cfsr-round4.yaml", folder / "a.yaml")
    text = (folder / "a.yaml").read_text().replace("version: cfsr-round4", "version: next-round")
    (folder / "b.yaml").write_text(text)
    before, demo.config["INSTRUMENTS_DIR"] = demo.config["INSTRUMENTS_DIR"], folder
    yield demo
    demo.config["INSTRUMENTS_DIR"] = before


def _dump(app) -> list[tuple]:
    """Every row, per table in dependency order, each table in key order (``in_key_order``)."""
    with app.app_context(), db.engine.connect() as connection:
        return [
            (table, [dict(row) for row in connection.execute(in_key_order(table)).mappings()])
            for table in db.metadata.sorted_tables
        ]


def _restore(app, snapshot: list[tuple]) -> None:
    with app.app_context(), db.engine.begin() as connection:
        for table, rows in snapshot:
            if rows:
                insert_kept(connection, table, rows)


def _seed(app) -> None:
    from review_app.accounts.operations import create_user
    from review_app.core.roles import RoleSet
    from review_app.demo.operations import seed_demo
    from review_app.members.operations import grant_access
    from review_app.sites.operations import create_jurisdiction

    with app.app_context():
        # The tests make the interviews and keys they need; the demo's own are tested apart.
        seed_demo(PASSWORD, cases_per_period=2, report_volume={}, interviews_and_training=False)
        other = create_jurisdiction(None, "other", "Other State")
        db.session.flush()
        outsider = create_user(None, "outsider", "Otto Outsider", PASSWORD)
        for site in other.sites:
            grant_access(None, site, outsider, RoleSet(is_state_admin=True, is_reviewer=True))
        db.session.commit()


def login(client, username: str, password: str = PASSWORD):
    """Sign in through the real form; fail the test if it does not work."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def sent_after_signing_out(app, username: str, page: str, action: str, data: dict) -> str:
    """Open ``page`` as ``username``, sign out (another tab), send its form to ``action``,
    sign in again as asked; return the page as it then shows (the form kept, or not)."""
    client = app.test_client()
    login(client, username)
    assert client.get(page).status_code == 200
    client.post("/logout")
    sent = client.post(action, data=data, headers={"Referer": f"http://localhost{page}"})
    assert sent.location.startswith("/login?next="), sent.status_code
    signed_in = client.post(sent.location, data={"username": username, "password": PASSWORD})
    assert signed_in.status_code == 302
    return client.get(signed_in.location).get_data(as_text=True)


@pytest.fixture
def both_regions(demo):
    """Cases of the demo CQI site in all four local sites, for tests of limited access.

    The test demo's own CQI cases are in Adams and Baker County (the Northern region,
    which ``qa_north`` reaches); this adds an in-progress case assigned to "reviewer" in
    Clark and in Dawson County (the Southern region) and eight finalized cases, two in
    each local site. Returns the case numbers by local site name. Made once per database
    and written back for later tests (``replayed``).
    """
    return replayed(demo, "both regions", lambda: _add_cases_in_both_regions(demo))


def _add_cases_in_both_regions(demo) -> dict[str, list[str]]:
    from review_app.accounts.models import User
    from review_app.cases.models import Case
    from review_app.cases.operations import create_case
    from review_app.demo.bulk import seed_finalized_bulk
    from review_app.demo.cases import case_facts
    from review_app.periods.models import ReviewPeriod
    from review_app.sites.queries import site_by_slug

    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        period = db.session.scalar(
            select(ReviewPeriod).where(ReviewPeriod.site_id == site.id).order_by(ReviewPeriod.id)
        )
        people = {user.username: user for user in db.session.scalars(select(User))}
        for index in (2, 3):
            create_case(None, period, case_facts(period, index, [people["reviewer"]]))
        seed_finalized_bulk(period, people, 8)
        db.session.commit()
        found: dict[str, list[str]] = {}
        for case in db.session.scalars(select(Case).where(Case.site_id == site.id)):
            found.setdefault(case.local_site.name, []).append(case.case_number)
        return found


@pytest.fixture
def north_admin(demo, both_regions):
    """A client of "admin_north", a state administrator of demo CQI limited to its
    Northern region, with the ``both_regions`` cases."""
    from tests.scoped import make_limited_admin

    make_limited_admin(demo)
    client = demo.test_client()
    login(client, "admin_north")
    return client
