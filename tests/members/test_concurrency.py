"""Two administrators removing each other at the same moment leave one of them.

"Is another administrator left?" and the removal happen under one lock on the site,
so whichever request comes second counts what the first did.
"""

import threading

import pytest
from sqlalchemy import update

from review_app.accounts.models import User
from review_app.accounts.operations import create_user
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.members.operations import grant_access
from review_app.sites.queries import site_by_slug
from tests.conftest import PASSWORD, login
from tests.members.conftest import USERS, find_membership

# Two requests at once: each on a connection of its own, committing for real.
pytestmark = [pytest.mark.real_commits, pytest.mark.postgresql_only]

ROUNDS = 15


def _second_admin(app) -> None:
    with app.app_context():
        other = create_user(None, "admin_two", "Avery Two", PASSWORD)
        grant_access(None, site_by_slug("demo", "cqi"), other, RoleSet(is_state_admin=True))
        db.session.commit()


def _restore(app, ids: list[int]) -> None:
    """Give both their access back (a person left with none was deactivated too)."""
    with app.app_context():
        db.session.execute(update(Membership).where(Membership.id.in_(ids)).values(is_active=True))
        db.session.execute(
            update(User)
            .where(User.username.in_(["admin", "admin_two"]))
            .values(is_active=True, deactivated_by=None)
        )
        db.session.commit()


def _remove_each_other(app, first_id: int, second_id: int) -> None:
    """admin removes admin_two while admin_two removes admin, two requests at once."""
    clients = {}
    for username in ("admin", "admin_two"):
        clients[username] = app.test_client()
        login(clients[username], username)
    start = threading.Barrier(2, timeout=30)

    def remove(username: str, membership_id: int) -> None:
        start.wait()
        clients[username].post(f"{USERS}/{membership_id}/remove")

    workers = [
        threading.Thread(target=remove, args=("admin", second_id)),
        threading.Thread(target=remove, args=("admin_two", first_id)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers), "a request hung"


def test_two_administrators_removing_each_other_at_once_leave_one(demo):
    if demo.config["TEST_DATABASE"] != "postgresql":
        pytest.skip("row locks between requests are PostgreSQL's; SQLite runs one writer")
    _second_admin(demo)
    first, second = find_membership(demo, "admin"), find_membership(demo, "admin_two")
    for _ in range(ROUNDS):
        _remove_each_other(demo, first.id, second.id)
        left = [find_membership(demo, name).is_active for name in ("admin", "admin_two")]
        assert left.count(True) == 1, left
        _restore(demo, [first.id, second.id])
