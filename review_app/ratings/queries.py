"""Reads of a case's answers and ratings, each in one statement."""

from typing import Any

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.instruments.engine import rate_case
from review_app.instruments.model import Instrument
from review_app.ratings.models import Answer, ItemReview, OutcomeRating, SubitemRating


def answers(case: Case) -> dict[str, Answer]:
    """Return the case's answer rows by question id."""
    rows = db.session.scalars(select(Answer).where(Answer.case_id == case.id))
    return {row.question_id: row for row in rows}


def answer_values(rows: dict[str, Answer]) -> dict[str, Any]:
    """Return each answered question's value."""
    return {question_id: row.value for question_id, row in rows.items()}


def item_reviews(case: Case) -> dict[str, ItemReview]:
    rows = db.session.scalars(select(ItemReview).where(ItemReview.case_id == case.id))
    return {row.item_id: row for row in rows}


def outcome_ratings(case: Case) -> dict[str, OutcomeRating]:
    rows = db.session.scalars(select(OutcomeRating).where(OutcomeRating.case_id == case.id))
    return {row.outcome_id: row for row in rows}


def subitem_ratings(case: Case) -> dict[str, SubitemRating]:
    rows = db.session.scalars(select(SubitemRating).where(SubitemRating.case_id == case.id))
    return {row.subitem_id: row for row in rows}


def overrides(reviews: dict[str, ItemReview]) -> dict[str, str]:
    """Return the QA overrides of item ratings, by item id."""
    return {item_id: r.override_rating for item_id, r in reviews.items() if r.override_rating}


def case_ratings(case: Case, instrument: Instrument) -> tuple:
    """Rate a case as its pages show it: return (ratings, answer rows, item reviews)."""
    rows, reviews = answers(case), item_reviews(case)
    ratings = rate_case(instrument, case.case_type, answer_values(rows), overrides(reviews))
    return ratings, rows, reviews


def override_author(review: ItemReview) -> User | None:
    """Return who set the item's QA override, if anyone did."""
    return db.session.get(User, review.override_by_id) if review.override_by_id else None
