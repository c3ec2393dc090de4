"""Reads behind the case rating summary, for one case or every finalized case of a period.

Each read issues a fixed number of statements, however many items, answers
or cases it covers: the ratings are calculated in Python from rows loaded
together, the way the case page does it.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from review_app.accounts.queries import display_names
from review_app.cases.models import Assignment, Case
from review_app.cases.states import CaseStatus
from review_app.core.scope import in_scope
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import CaseRatings, rate_case
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Item, Question
from review_app.periods.models import ReviewPeriod
from review_app.ratings import queries as rating_queries
from review_app.ratings.models import Answer, ItemReview
from review_app.sites.models import Site


@dataclass(frozen=True)
class Narrative:
    """An answer that needs explaining ("No", mostly) and what the reviewer wrote."""

    question: Question
    value: Any
    text: str


@dataclass
class CaseSummary:
    """What the case rating summary shows of one case."""

    case: Case
    instrument: Instrument
    ratings: CaseRatings
    answers: dict[str, Answer]
    reviews: dict[str, ItemReview]
    names: dict[int, str]  # display names of the people who overrode a rating

    def review(self, item_id: str) -> ItemReview | None:
        return self.reviews.get(item_id)

    def overridden_by(self, item_id: str) -> str:
        review = self.reviews.get(item_id)
        if review is None or review.override_by_id is None:
            return ""
        return self.names.get(review.override_by_id, "a former user")

    def narratives(self, item: Item) -> list[Narrative]:
        """Return the item's asked questions whose answer needs a narrative, in page order."""
        evaluation = self.ratings.evaluation
        found = []
        for question in self.instrument.item_questions(item):
            value = evaluation.answers.get(question.id)
            if question.id in evaluation.asked and value in question.narrative_answers:
                row = self.answers.get(question.id)
                found.append(Narrative(question, value, row.narrative.strip() if row else ""))
        return found

    @property
    def override_count(self) -> int:
        return sum(1 for result in self.ratings.items.values() if result.override)


def _names(reviews: list[ItemReview]) -> dict[int, str]:
    return display_names(review.override_by_id for review in reviews if review.override_by_id)


def case_summary(case: Case) -> CaseSummary:
    """Return the summary of one case (loaded with its period, local site and reviewers)."""
    instrument = get_instrument(case.period.instrument_version)
    ratings, rows, reviews = rating_queries.case_ratings(case, instrument)
    return CaseSummary(case, instrument, ratings, rows, reviews, _names(list(reviews.values())))


def finalized_cases(period: ReviewPeriod, ids: list[int] | None = None) -> list[Case]:
    """Return the period's finalized cases by number, with local site, period and reviewers.

    With ``ids``, only those of them (a part of the period's PDF). Only the cases of
    the local sites the current person (or job) reaches (core/scope.py).
    """
    only = Case.id.in_(ids) if ids is not None else Case.id.is_not(None)
    return list(
        db.session.scalars(
            select(Case)
            .where(
                in_scope(Case, period.site_id),
                Case.period_id == period.id,
                Case.status == CaseStatus.FINALIZED,
                only,
            )
            .options(
                joinedload(Case.local_site),
                joinedload(Case.period),
                selectinload(Case.assignments).joinedload(Assignment.user),
            )
            .order_by(Case.case_number, Case.id)
        ).unique()
    )


def summaries(cases: list[Case], period: ReviewPeriod) -> list[CaseSummary]:
    """Return the summaries of cases of one period, loading their rows in three statements."""
    if not cases:
        return []
    instrument = get_instrument(period.instrument_version)
    ids = [case.id for case in cases]
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    for row in db.session.scalars(select(Answer).where(Answer.case_id.in_(ids))):
        answers[row.case_id][row.question_id] = row
    reviews: dict[int, dict[str, ItemReview]] = defaultdict(dict)
    every_review = list(db.session.scalars(select(ItemReview).where(ItemReview.case_id.in_(ids))))
    for review in every_review:
        reviews[review.case_id][review.item_id] = review
    names = _names(every_review)
    found = []
    for case in cases:
        rows, case_reviews = answers[case.id], reviews[case.id]
        ratings = rate_case(
            instrument,
            case.case_type,
            rating_queries.answer_values(rows),
            rating_queries.overrides(case_reviews),
        )
        found.append(CaseSummary(case, instrument, ratings, rows, case_reviews, names))
    return found


def finalized_counts(site: Site) -> dict[int, int]:
    """Return how many finalized cases each of the site's periods has (periods with any),
    counting those of the local sites the current person reaches."""
    rows = db.session.execute(
        select(Case.period_id, func.count())
        .where(in_scope(Case, site), Case.status == CaseStatus.FINALIZED)
        .group_by(Case.period_id)
    )
    return {period_id: count for period_id, count in rows}
