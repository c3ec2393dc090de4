"""The migration that records who submitted fills it in from the audit log."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.ratings.models import SubmittedRating
from tests.performance.conftest import add_finalized
from tests.quality.test_agreement_page import _new_period, _submitted_then_moved

pytestmark = pytest.mark.real_commits  # migrations run on connections of their own


def test_upgrade_credits_the_actor_of_each_case_first_submit_entry(demo):
    add_finalized(demo, 2)
    moved = _submitted_then_moved(demo, _new_period(demo))
    with demo.app_context():
        riley = db.session.scalar(select(User.id).where(User.username == "reviewer"))
        submits = {
            case_id: actor_id
            for case_id, actor_id in db.session.execute(
                select(AuditEntry.object_id, AuditEntry.actor_id)
                .where(AuditEntry.action == "case.submit", AuditEntry.object_type == "Case")
                .order_by(AuditEntry.id.desc())  # the first entry of a case wins below
            )
        }
        assert submits
        db.session.rollback()  # end this session's read: the migration locks the tables
        downgrade(revision="3f6b1c9e2a7d")
        upgrade()
        credited = dict(
            db.session.execute(
                select(SubmittedRating.case_id, SubmittedRating.submitted_by_id).distinct()
            ).all()
        )
    assert credited
    for case_id, submitted_by in credited.items():
        assert submitted_by == submits.get(case_id)  # None where no entry names the submitter
    assert credited[moved] == riley  # not Robin, who holds the case now
