"""PostgreSQL restarts under load: a designed 503 meanwhile, and no acknowledged write lost.

Runs on a cluster of its own (tests/pgcluster.py), stopped with ``pg_ctl -m fast``
and started again on the same folder and port, as an administrator restarts it.
That cluster runs with ``fsync=off``: a fast stop still writes every committed
transaction out (it ends the sessions and writes a checkpoint), which is what a
restart under load means; an operating-system crash, which fsync guards
against, is not what is tested here. ``synchronous_commit`` is left on, as in
production, so a commit is acknowledged only once it is in the write-ahead log.
"""

import threading
import time

import pytest
from sqlalchemy import select

from review_app.extensions import db
from review_app.sites.models import LocalSite
from tests import pgcluster
from tests.conftest import DATABASES, PASSWORD, login, make_app, reset_schema
from tests.core.test_outage import assert_designed_503

pytestmark = pytest.mark.skipif(
    "postgresql" not in DATABASES, reason="PostgreSQL is not tested in this run"
)
WRITERS = 4


@pytest.fixture(scope="module")
def cluster():
    try:
        started = pgcluster.start(
            {**pgcluster.SETTINGS, "synchronous_commit": "on"}, prefix="review-outage-pg-"
        )
    except RuntimeError as exc:
        pytest.skip(str(exc))
    yield started
    started.stop()


@pytest.fixture(scope="module")
def restart_app(cluster):
    from review_app.accounts.operations import create_user
    from review_app.core.roles import RoleSet
    from review_app.members.operations import grant_access
    from review_app.sites.operations import create_jurisdiction

    app = make_app(cluster.create_database("outage"))
    reset_schema(app)
    with app.app_context():
        jurisdiction = create_jurisdiction(None, "demo", "Demo State")
        db.session.flush()
        for number in range(WRITERS):
            user = create_user(None, f"admin{number}", f"Admin {number}", PASSWORD)
            for site in jurisdiction.sites:
                grant_access(None, site, user, RoleSet(is_state_admin=True))
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _restart(cluster, while_down) -> None:
    """Stop the server, do ``while_down`` (it returns once the outage was seen), start it."""
    cluster.stop_server("fast")
    while_down()
    cluster.start_server()


def _wait_until(condition, what: str, limit: float = 120.0) -> None:
    """Wait until ``condition()`` holds; fail naming ``what`` if it never does (a hang)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting for {what} after {limit:g} seconds")
        time.sleep(0.02)


def test_outage_page_and_readiness_follow_the_database(cluster, restart_app):
    client = restart_app.test_client()
    login(client, "admin0")
    assert client.get("/demo/cqi/local-sites").status_code == 200
    assert client.get("/system/ready").status_code == 200
    seen = {}

    def while_down():
        seen["page"] = client.get("/demo/cqi/local-sites")
        seen["post"] = client.post(
            "/demo/cqi/local-sites/new", data={"code": "down", "name": "Down"}
        )
        seen["ready"] = client.get("/system/ready")
        seen["health"] = client.get("/system/health")

    _restart(cluster, while_down)
    assert_designed_503(seen["page"])
    assert_designed_503(seen["post"])
    assert seen["ready"].status_code == 503
    assert seen["ready"].get_json()["database"] == "unavailable"
    assert seen["health"].status_code == 200
    # Back up: the same session works again (the dead pooled connections are replaced).
    assert client.get("/system/ready").get_json() == {"status": "ready", "database": "ok"}
    assert client.get("/demo/cqi/local-sites").status_code == 200


def test_no_acknowledged_write_is_lost_across_a_restart(cluster, restart_app):
    acknowledged: list[str] = []
    answers: dict[int, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    failures: list[BaseException] = []
    signed_in: list[int] = []  # writers past their sign-in, which an outage would refuse

    def write(number: int) -> None:
        try:
            add_sites(number)
        except BaseException as error:  # a response the server could not even make
            failures.append(error)

    def add_sites(number: int) -> None:
        client = restart_app.test_client()
        login(client, f"admin{number}")
        with lock:
            signed_in.append(number)
        count = 0
        while not stop.is_set():
            count += 1
            name = f"W{number}-{count}"
            response = client.post("/demo/cqi/local-sites/new", data={"code": name, "name": name})
            with lock:
                answers[response.status_code] = answers.get(response.status_code, 0) + 1
                if response.status_code == 302:  # saved, and told so
                    acknowledged.append(name)
            if response.status_code == 503:
                time.sleep(0.05)

    def count(code: int) -> int:
        with lock:
            return answers.get(code, 0)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        # Wait on what happened, not for a while: a busy machine only makes it slower.
        # Every writer signed in first: on a busy machine one may start late, and its
        # sign-in must not meet the restart.
        _wait_until(
            lambda: (len(signed_in) == WRITERS and len(acknowledged) >= 2 * WRITERS) or failures,
            "writes before",
        )
        before = len(acknowledged)
        seen = count(503)
        _restart(cluster, lambda: _wait_until(lambda: count(503) > seen or failures, "a 503"))
        restarted = count(302)
        _wait_until(lambda: count(302) >= restarted + 2 * WRITERS or failures, "writes after")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    assert not failures, failures
    assert set(answers) <= {302, 503}, answers  # never a bare 500
    assert answers.get(503), "the restart did not meet any request"
    assert before > 0 and len(acknowledged) > before, "writes before and after the restart"
    with restart_app.app_context():
        stored = set(db.session.scalars(select(LocalSite.code)))
    lost = [name for name in acknowledged if name not in stored]
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged writes lost"


def test_a_connection_ended_by_the_server_mid_request_does_not_break_the_answer(
    cluster, restart_app
):
    import psycopg
    from sqlalchemy import text

    # Between a commit and the end of the request the server ends the connection
    # (a restart): ending the request must not raise after the answer was made.
    with restart_app.test_request_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with psycopg.connect(cluster.admin_url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with restart_app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar_one() == 1
