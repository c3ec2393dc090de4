"""The limits live in Redis when configured, so every gunicorn worker sees the same counts."""

import pytest
import redis

from review_app.extensions import limiter
from tests import redisserver
from tests.conftest import PASSWORD, make_app

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}


@pytest.fixture
def redis_url():
    if not redisserver.available():
        pytest.skip("redis-server is not installed (Debian package redis-server; .ci/run adds it)")
    server = redisserver.start()
    yield server.url
    server.stop()


@pytest.fixture
def worker(demo, redis_url):
    """Return a function that starts one more 'worker': an app on the demo data and Redis."""

    def start(storage: str = redis_url):
        return make_app(demo.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_STORAGE_URI=storage)

    yield start
    limiter.init_app(demo)  # the other tests' in-memory storage again ...
    limiter._storage_dead = False  # ... used at once, not after the next backend check


def _fail(app, username, password="wrong-password"):
    return app.test_client().post(
        "/login", data={"username": username, "password": password}, environ_base=ATTACKER
    )


def test_a_lock_made_on_one_worker_holds_on_the_next(worker, redis_url):
    first = worker()
    for _ in range(6):
        _fail(first, "reviewer")
    assert redis.Redis.from_url(redis_url).keys("*")  # the counts are in Redis
    # A new worker connects afresh: it reads the same counts.
    second = worker()
    page = _fail(second, "reviewer", PASSWORD).get_data(as_text=True)
    assert "Too many failed attempts" in page


def test_the_address_limit_is_shared_by_the_workers(worker):
    first = worker()
    for number in range(20):
        _fail(first, f"guess-{number}")
    assert _fail(worker(), "observer", PASSWORD).status_code == 429


def test_memory_storage_is_per_worker(worker):
    """Why production needs Redis: with memory:// a new worker starts from nothing."""
    first = worker("memory://")
    for _ in range(6):
        _fail(first, "reviewer")
    assert _fail(worker("memory://"), "reviewer", PASSWORD).status_code == 302


def test_sign_in_still_works_while_redis_is_down(worker):
    app = worker(f"redis://127.0.0.1:{redisserver._free_port()}/0")  # nothing listens there
    assert _fail(app, "reviewer").status_code == 422
    assert _fail(app, "observer", PASSWORD).status_code == 302
