"""A save and a submit at the same moment: the case never leaves In Progress incomplete.

The check "may this person still edit the case?" and the write happen under
one lock on the case, so whichever comes second sees what the first did.
"""

import threading

import pytest
from sqlalchemy import delete, select, update

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.cases.models import Assignment, Case
from review_app.core.errors import OperationError, StateChanged
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.qa.operations import transition
from review_app.ratings import queries as rating_queries
from review_app.ratings.completeness import gaps
from review_app.ratings.models import ItemReview, RatingChange, SubmittedRating
from review_app.ratings.operations import ItemInput, save_item
from tests.conftest import login
from tests.qa.conftest import SITE

# Two requests at once: each on a connection of its own, committing for real.
pytestmark = pytest.mark.real_commits

ITEM = "3"  # rated in the complete case, so its rationale is required


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _pair(app, case_id: int) -> None:
    """Make the case a pair's: reviewer2 joins reviewer."""
    with app.app_context():
        db.session.add(Assignment(case_id=case_id, user_id=_user("reviewer2").id))
        db.session.commit()


def _rationale_save(case: Case, rationale: str) -> ItemInput:
    """An item save as the page sends it, changing only the rationale."""
    review = rating_queries.item_reviews(case)[ITEM]
    return ItemInput({}, set(), {}, rationale, review.lock_version)


def _stored_rationale(app, case_id: int) -> str:
    with app.app_context():
        return db.session.scalar(
            select(ItemReview.rationale).where(
                ItemReview.case_id == case_id, ItemReview.item_id == ITEM
            )
        )


def test_a_save_checked_before_a_submit_is_refused_after_it(demo, complete_case):
    _pair(demo, complete_case)
    before = _stored_rationale(demo, complete_case)
    with demo.app_context():
        case = db.session.get(Case, complete_case)
        instrument = get_instrument(case.period.instrument_version)
        pending = _rationale_save(case, "")  # read while the case was in progress
        with demo.app_context():  # another request submits meanwhile
            transition(_user("reviewer"), db.session.get(Case, complete_case), "submit")
            db.session.commit()
        assert case.status == "in_progress"  # what this request saw when it checked
        with pytest.raises(StateChanged, match="Submitted for QA.*meanwhile; your change was not"):
            save_item(_user("reviewer2"), case, instrument, ITEM, pending)
        db.session.rollback()
    assert _stored_rationale(demo, complete_case) == before
    with demo.app_context():
        case = db.session.get(Case, complete_case)
        assert case.status == "submitted"
        assert not db.session.scalars(
            select(RatingChange).where(
                RatingChange.case_id == complete_case, RatingChange.actor_name == "reviewer2"
            )
        ).all()


def test_the_page_says_the_save_came_too_late_and_keeps_what_was_typed(
    demo, complete_case, monkeypatch
):
    """The page was checked as editable, then the case was submitted before the write."""
    from review_app.ratings import views

    _pair(demo, complete_case)
    loaded = views.load_case

    def load_then_submit(case_id):
        case = loaded(case_id)  # this request's copy says "in progress"
        with demo.app_context():
            transition(_user("reviewer"), db.session.get(Case, case_id), "submit")
            db.session.commit()
        return case

    monkeypatch.setattr(views, "load_case", load_then_submit)
    client = demo.test_client()
    login(client, "reviewer2")
    with demo.app_context():
        version = rating_queries.item_reviews(db.session.get(Case, complete_case))[
            ITEM
        ].lock_version
    response = client.post(
        f"{SITE}/cases/{complete_case}/items/{ITEM}",
        data={"lock_version": str(version), "shown": "", "rationale": "my unsaved thoughts"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Your change was not saved" in page
    assert "moved to “Submitted for QA” meanwhile" in page
    assert "my unsaved thoughts" in page
    assert _stored_rationale(demo, complete_case) != "my unsaved thoughts"


def test_a_reviewer_taken_off_the_case_cannot_save_with_an_old_page(demo, complete_case):
    _pair(demo, complete_case)
    with demo.app_context():
        case = db.session.get(Case, complete_case)
        instrument = get_instrument(case.period.instrument_version)
        pending = _rationale_save(case, "late words")
        assert len(case.assignments) == 2
        with demo.app_context():
            db.session.execute(
                delete(Assignment).where(
                    Assignment.case_id == complete_case,
                    Assignment.user_id == _user("reviewer2").id,
                )
            )
            db.session.commit()
        with pytest.raises(StateChanged, match="no longer assigned"):
            save_item(_user("reviewer2"), case, instrument, ITEM, pending)
        db.session.rollback()
    assert _stored_rationale(demo, complete_case) != "late words"


def test_a_save_checked_before_the_period_closed_is_refused_after_it(demo, complete_case):
    from review_app.periods.operations import set_period_open

    before = _stored_rationale(demo, complete_case)
    with demo.app_context():
        case = db.session.get(Case, complete_case)
        instrument = get_instrument(case.period.instrument_version)
        pending = _rationale_save(case, "after closing")
        period = case.period  # held, as a view holds what it checked
        assert period.is_open  # what this request saw when it checked
        with demo.app_context():  # an administrator closes the period meanwhile
            set_period_open(_user("admin"), db.session.get(Case, complete_case).period, False)
            db.session.commit()
        with pytest.raises(StateChanged, match="review period was closed meanwhile"):
            save_item(_user("reviewer"), case, instrument, ITEM, pending)
        db.session.rollback()
    assert _stored_rationale(demo, complete_case) == before


def _reset(app, case_id: int, rationale: str) -> None:
    """Put the case back in progress, complete, for the next round."""
    with app.app_context():
        db.session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(status="in_progress", status_version=Case.status_version + 1)
        )
        db.session.execute(delete(SubmittedRating).where(SubmittedRating.case_id == case_id))
        db.session.commit()
        case = db.session.get(Case, case_id)
        instrument = get_instrument(case.period.instrument_version)
        save_item(None, case, instrument, ITEM, _rationale_save(case, rationale))
        db.session.commit()


def _race(app, case_id: int, new_rationale: str) -> dict[str, object]:
    """Submit (reviewer) and save the item (reviewer2) at once, each as its own request."""
    start = threading.Barrier(2, timeout=30)
    outcome: dict[str, object] = {}
    with app.app_context():
        pending = _rationale_save(db.session.get(Case, case_id), new_rationale)

    def submit():
        with app.app_context():
            case = db.session.get(Case, case_id)
            actor = _user("reviewer")
            start.wait()
            try:
                transition(actor, case, "submit")
                db.session.commit()
                outcome["submit"] = "done"
            except OperationError as error:
                db.session.rollback()
                outcome["submit"] = error

    def save():
        with app.app_context():
            case = db.session.get(Case, case_id)
            instrument = get_instrument(case.period.instrument_version)
            actor = _user("reviewer2")
            start.wait()
            try:
                save_item(actor, case, instrument, ITEM, pending)
                db.session.commit()
                outcome["save"] = "done"
            except OperationError as error:
                db.session.rollback()
                outcome["save"] = error

    threads = [threading.Thread(target=submit), threading.Thread(target=save)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return outcome


@pytest.mark.postgresql_only
def test_saves_racing_a_submit_never_leave_a_submitted_case_incomplete(demo, complete_case):
    if demo.config["TEST_DATABASE"] != "postgresql":
        pytest.skip("row locks between threads are PostgreSQL's; SQLite runs one writer at once")
    _pair(demo, complete_case)
    seen = {"save_won": 0, "submit_won": 0}
    for round_number in range(40):
        blank = round_number % 2 == 0  # odd rounds change the text and keep the case complete
        new_rationale = "" if blank else f"Reworded in round {round_number}."
        _reset(demo, complete_case, f"Rationale before round {round_number}.")
        with demo.app_context():
            first_entry = db.session.scalar(select(db.func.max(AuditEntry.id)))
        outcome = _race(demo, complete_case, new_rationale)
        assert set(outcome) == {"submit", "save"}, outcome
        with demo.app_context():
            case = db.session.get(Case, complete_case)
            instrument = get_instrument(case.period.instrument_version)
            ratings, rows, reviews = rating_queries.case_ratings(case, instrument)
            entries = db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.id > first_entry, AuditEntry.object_id == case.id)
                .order_by(AuditEntry.id)
            ).all()
            actions = [entry.action for entry in entries]
            changes = db.session.scalars(
                select(RatingChange).where(
                    RatingChange.case_id == case.id, RatingChange.actor_name == "reviewer2"
                )
            ).all()
            # Invariant 1: a case past In Progress lacks nothing.
            if case.status != "in_progress":
                assert gaps(instrument, ratings, rows, reviews) == [], round_number
            # Invariant 2: every change is recorded with the status it was made in, and
            # no change lands after the submission.
            if outcome["save"] == "done":
                assert "case.item_save" in actions
                assert all(change.case_status == "in_progress" for change in changes)
            else:
                assert isinstance(outcome["save"], StateChanged), outcome
                assert outcome["submit"] == "done"
                assert "case.item_save" not in actions
            if outcome["submit"] == "done":
                assert case.status == "submitted"
                assert actions[-1] == "case.submit", actions  # nothing after it
                seen["submit_won" if outcome["save"] != "done" else "save_won"] += 1
            else:
                assert blank and outcome["save"] == "done", outcome  # incomplete: refused
                assert case.status == "in_progress"
                seen["save_won"] += 1
            # Clear this round's history so the next round reads only its own.
            db.session.execute(delete(RatingChange).where(RatingChange.case_id == case.id))
            db.session.commit()
    assert sum(seen.values()) == 40
