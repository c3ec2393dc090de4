"""A case added while its period is being closed: the add waits for the close and is refused.

The add holds the period's row (shared) before it checks that the period is open, so
a close that is under way finishes first and the add sees it.
"""

import threading

import pytest
from sqlalchemy import select

from review_app.cases.facts import CaseFacts
from review_app.cases.models import Case
from review_app.cases.operations import CLOSED, create_case
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.periods.models import ReviewPeriod
from review_app.periods.operations import set_period_open
from review_app.sites.queries import site_by_slug

# Two transactions at once, each on a connection of its own, committing for real.
pytestmark = [pytest.mark.real_commits, pytest.mark.postgresql_only]


def _period() -> ReviewPeriod:
    return db.session.scalar(
        select(ReviewPeriod).where(ReviewPeriod.site_id == site_by_slug("demo", "cqi").id)
    )


def test_a_case_added_while_the_period_closes_is_refused(demo):
    if demo.config["TEST_DATABASE"] != "postgresql":
        pytest.skip("row locks between transactions are PostgreSQL's; SQLite runs one writer")
    locked, release = threading.Event(), threading.Event()

    def close() -> None:
        with demo.app_context():
            set_period_open(None, _period(), False)  # the period's row, locked
            locked.set()
            release.wait(timeout=30)
            db.session.commit()

    closer = threading.Thread(target=close)
    closer.start()
    assert locked.wait(timeout=30)
    outcome: list[object] = []
    with demo.app_context():
        period = _period()
        assert period.is_open  # the close is not committed: this transaction still sees it open
        adder = threading.Timer(0.3, release.set)  # the close commits while the add waits
        adder.start()
        try:
            facts = CaseFacts(
                "FC-RACE-1",
                "in_home",
                period.local_sites[0],
                "A.B.",
                pur_start=period.pur_end.replace(year=period.pur_end.year - 1),
            )
            create_case(None, period, facts)
            db.session.commit()
            outcome.append("added")
        except OperationError as error:
            db.session.rollback()
            outcome.append(error.message)
    closer.join(timeout=30)
    adder.join()
    assert outcome == [CLOSED]
    with demo.app_context():
        assert not db.session.scalar(select(Case.id).where(Case.case_number == "FC-RACE-1"))
