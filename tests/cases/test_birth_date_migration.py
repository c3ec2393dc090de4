"""The migration that gives a case the face sheet's birth date where the two disagreed."""

from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.ratings.models import Answer
from tests.ratings.test_item_pages import _case_of

# Migrations run on connections of their own and change the schema.
pytestmark = pytest.mark.real_commits

BEFORE = "6d93e867da5c"


def test_upgrade_sets_the_case_birth_date_from_the_face_sheet(demo):
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    other_id = _case_of(demo, "reviewer2")
    with demo.app_context():
        children = [
            {"target": "no", "initials": "X.Y.", "birth_date": "2012-01-01"},
            {"target": "yes", "initials": "A.B.", "birth_date": "2017-03-04"},
        ]
        db.session.add(Answer(case_id=case_id, question_id="FS-children", value=children))
        untouched = db.session.get(Case, other_id).child_birth_date
        db.session.commit()
        downgrade(revision=BEFORE)
        upgrade()
        births = dict(db.session.execute(select(Case.id, Case.child_birth_date)).all())
    assert births[case_id] == date(2017, 3, 4)
    assert births[other_id] == untouched
