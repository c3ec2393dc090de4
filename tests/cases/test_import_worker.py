"""A case sample imported by the real worker (``flask worker``), on the SQLite queue and on
Redis: the progress is committed as the rows are checked, the cases with the job's "done"."""

import io

import pytest
from sqlalchemy import func, select

from review_app.cases.models import Case
from review_app.extensions import db
from tests.cases.test_import import _period_id
from tests.cases.test_import_job import _sample
from tests.conftest import login
from tests.jobs.test_worker import jobs_url, queued_app, worked_until_finished  # noqa: F401

pytestmark = pytest.mark.real_commits
ROWS = 600


def start_import(app, rows: int, filename: str):
    """Sign in as the administrator and import ``rows`` cases into the CFSR period; return
    the client and the answer, which leads to the job's page."""
    client = app.test_client()
    login(client, "admin")
    started = client.post(
        "/demo/cfsr/cases/import",
        data={"period_id": str(_period_id(app)), "file": (io.BytesIO(_sample(rows)), filename)},
        content_type="multipart/form-data",
    )
    assert started.status_code == 303
    return client, started


def test_the_worker_imports_every_row_and_marks_the_job_done(queued_app):  # noqa: F811
    client, started = start_import(queued_app, ROWS, "big.csv")
    state_url = started.location + "/state"
    assert client.get(state_url).get_json()["status"] == "queued"
    state, output = worked_until_finished(queued_app, client, state_url)
    assert state["status"] == "done", (state, output[-3000:])
    assert state["message"].startswith(f"{ROWS} case(s) imported into"), output[-3000:]
    assert state["progress"] == f"{ROWS} of {ROWS} rows checked"
    with queued_app.app_context():
        added = select(func.count(Case.id)).where(Case.case_number.like("J-%"))
        assert db.session.scalar(added) == ROWS
