"""Reads of a case's answers and ratings, each in one statement."""

from sqlalchemy import select

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.ratings.models import Answer, ItemReview, OutcomeRating


def answers(case: Case) -> dict[str, Answer]:
    """Return the case's answer rows by question id."""
    rows = db.session.scalars(select(Answer).where(Answer.case_id == case.id))
    return {row.question_id: row for row in rows}


def answer_values(rows: dict[str, Answer]) -> dict:
    return {question_id: row.value for question_id, row in rows.items()}


def item_reviews(case: Case) -> dict[str, ItemReview]:
    rows = db.session.scalars(select(ItemReview).where(ItemReview.case_id == case.id))
    return {row.item_id: row for row in rows}


def outcome_ratings(case: Case) -> dict[str, OutcomeRating]:
    rows = db.session.scalars(select(OutcomeRating).where(OutcomeRating.case_id == case.id))
    return {row.outcome_id: row for row in rows}
