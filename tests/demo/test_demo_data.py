"""The demo data tells one consistent story: dates in order, one birth date per child."""

from sqlalchemy import select

from review_app.cases.dates import order_errors
from review_app.cases.models import Case
from review_app.demo.operations import seed_demo
from review_app.extensions import db
from review_app.ratings import queries
from review_app.ratings.dates import face_sheet_date_errors, target_birth


def demo_faults() -> list[str]:
    """Return one line per demo case whose dates or birth dates disagree."""
    faults = []
    for case in db.session.scalars(select(Case).order_by(Case.id)):
        dates = {
            "birth": case.child_birth_date,
            "opened": case.opened_on,
            "removal": case.removal_on,
            "closed": case.closed_on,
        }
        for message in order_errors(dates).values():
            faults.append(f"{case.case_number} (case): {message}")
        values = queries.answer_values(queries.answers(case))
        for message in face_sheet_date_errors(values, case.child_birth_date).values():
            faults.append(f"{case.case_number} (face sheet): {message}")
        birth = target_birth(values)
        if birth is not None and birth != case.child_birth_date:
            faults.append(f"{case.case_number}: face sheet {birth}, case {case.child_birth_date}")
        if case.status == "finalized" and birth is None:
            faults.append(f"{case.case_number}: finalized without the target child's birth date")
    return faults


def test_every_demo_case_has_its_dates_in_order_and_one_birth_date(app):
    with app.app_context():
        seed_demo("demo-password-9", report_volume={"cfsr": 4, "cqi": 4})
        db.session.flush()
        assert db.session.scalar(select(Case.id).where(Case.status == "finalized"))
        assert demo_faults() == []
