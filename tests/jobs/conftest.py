"""Helpers for job tests: a job held on the queue, jobs read back."""

import dataclasses

import pytest
from sqlalchemy import select

from review_app.extensions import db
from review_app.jobs import kinds
from review_app.jobs.models import Job
from tests.reports.conftest import SITE, cqi_period_id, finalized  # noqa: F401  (a fixture)

START = f"{SITE}/reports/periods/{{period}}/finalized-pdf"


@pytest.fixture
def held(monkeypatch):
    """Keep started period PDFs queued: their first task is not run (a busy queue)."""
    queued = []
    kind = kinds.KINDS["period_pdf"]
    monkeypatch.setitem(
        kinds.KINDS,
        "period_pdf",
        dataclasses.replace(kind, first_task=lambda *args: queued.append(args)),
    )
    return queued


def start_url(app) -> str:
    return START.format(period=cqi_period_id(app))


def jobs(app) -> list[Job]:
    with app.app_context():
        found = list(db.session.scalars(select(Job).order_by(Job.id)))
        db.session.expunge_all()
        return found


def job_id_of(response) -> int:
    """Return the job id a "Make the PDF" answer sends to (its status page)."""
    assert response.status_code == 303, response.status_code
    return int(response.location.rstrip("/").rsplit("/", 1)[1])
