"""One unit of work per request: committed once at the end, undone when refused, never half.

Views and operations never commit or roll back (core/unit.py does); a commit that
fails answers the designed 409 or 503 page and takes back the "saved" message. That
a refused change is undone while what was typed is kept: tests/qa/test_refused_text_kept.py.
"""

import ast
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError, OperationalError

import review_app
from review_app.audit.models import AuditEntry
from review_app.core.access import authenticated
from review_app.core.errors import Conflict
from review_app.extensions import db
from review_app.sites.models import Jurisdiction, LocalSite, Site
from tests.conftest import login, make_app

PACKAGE = Path(review_app.__file__).parent
LOCAL = "/demo/cqi/local-sites"


def _is_request_code(path: Path) -> bool:
    return path.name == "views.py" or path.name.endswith("operations.py")


def test_no_view_or_operation_commits_or_rolls_back():
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if not _is_request_code(path):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"commit", "rollback"}
            ):
                calls.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.func.attr}()")
    assert not calls, "commit and rollback belong to core/unit.py only:\n" + "\n".join(calls)


def test_the_scan_sees_every_operations_module():
    names = {path.name for path in PACKAGE.rglob("*.py") if _is_request_code(path)}
    assert {"views.py", "operations.py", "key_operations.py", "thread_operations.py"} <= names


def _local(app, code: str) -> LocalSite | None:
    with app.app_context():
        return db.session.scalar(
            select(LocalSite)
            .join(LocalSite.site)
            .join(Site.jurisdiction)
            .where(LocalSite.code == code, Site.kind == "cqi", Jurisdiction.code == "demo")
        )


class _Lost(Exception):
    """A driver error as PostgreSQL raises it when a transaction lost a race."""

    pgcode = "40001"  # serialization failure


FAILURES = {
    "unique": (IntegrityError("COMMIT", {}, Exception("duplicate key")), 409),
    "serialization": (OperationalError("COMMIT", {}, _Lost("could not serialize")), 409),
    "outage": (OperationalError("COMMIT", {}, Exception("server closed the connection")), 503),
}


@pytest.fixture
def failing_commit():
    """Make the next commit of a request fail with the given database error."""
    armed: list[Exception] = []

    def fail(_session) -> None:
        if armed:
            raise armed.pop()

    event.listen(db.session, "before_commit", fail)
    yield armed.append
    event.remove(db.session, "before_commit", fail)


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failed_commit_answers_the_designed_page_and_no_success(
    demo, client, failing_commit, failure
):
    error, status = FAILURES[failure]
    login(client, "admin")
    adams = _local(demo, "001")
    failing_commit(error)
    response = client.post(
        f"{LOCAL}/{adams.id}", data={"code": "001", "name": "Adams Renamed", "is_active": "y"}
    )
    assert response.status_code == status
    page = response.get_data(as_text=True)
    if status == 409:
        assert "Someone else saved the same thing at the same moment" in page
    else:
        assert response.headers["Retry-After"] == "15"
    assert _local(demo, "001").name == "Adams County"  # nothing landed
    shown = client.get(LOCAL).get_data(as_text=True)
    assert "saved." not in shown and "Adams Renamed" not in shown


def test_a_commit_that_works_is_one_and_is_sealed(demo, client):
    login(client, "admin")
    adams = _local(demo, "001")
    response = client.post(
        f"{LOCAL}/{adams.id}", data={"code": "001", "name": "Adams Renamed", "is_active": "y"}
    )
    assert response.status_code == 302
    assert "Local site Adams Renamed saved." in client.get(LOCAL).get_data(as_text=True)
    with demo.app_context():
        entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        assert entry.entry_hash  # the audit chain sealed it at the request's commit


def test_a_read_commits_nothing(demo, client):
    login(client, "reviewer")
    commits = []

    def count(session) -> None:
        commits.append(session)

    event.listen(db.session, "before_commit", count)
    try:
        assert client.get(LOCAL).status_code == 200
    finally:
        event.remove(db.session, "before_commit", count)
    assert commits == []


def test_a_refusal_no_view_catches_is_undone_and_said_where_the_form_was(demo):
    app = make_app(demo.config["SQLALCHEMY_DATABASE_URI"])  # a fresh app: routes stay as they are
    adams = _local(demo, "001").id

    @authenticated
    def refusing():
        db.session.get(LocalSite, adams).name = "Half-changed"
        db.session.flush()
        raise Conflict("Someone else changed this a moment ago; nothing was done.")

    app.add_url_rule("/refused-for-test", "refused_for_test", refusing, methods=["POST"])
    client = app.test_client()
    login(client, "admin")
    response = client.post("/refused-for-test", headers={"Referer": f"http://localhost{LOCAL}"})
    assert response.status_code == 303 and response.location == LOCAL
    assert "nothing was done" in client.get(LOCAL).get_data(as_text=True)
    assert _local(demo, "001").name == "Adams County"
