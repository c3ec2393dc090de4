"""Reads for systemic factor pages: a period's ratings and the interviews behind them."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from review_app.accounts.models import User
from review_app.core.scope import Scope, in_scope
from review_app.extensions import db
from review_app.interviews.models import Interview, NoteSet
from review_app.interviews.queries import taking_part
from review_app.interviews.states import InterviewStatus
from review_app.periods.models import ReviewPeriod
from review_app.systemic.models import SystemicRating


def ratings(period: ReviewPeriod) -> dict[str, SystemicRating]:
    """Return the period's ratings by item id, with rater and cited interviews."""
    rows = db.session.scalars(
        select(SystemicRating)
        .where(SystemicRating.period_id == period.id)
        .options(
            joinedload(SystemicRating.rated_by),
            selectinload(SystemicRating.interviews).joinedload(Interview.local_site),
        )
    )
    return {row.item_id: row for row in rows.unique()}


def rating(period: ReviewPeriod, item_id: str) -> SystemicRating | None:
    return db.session.scalar(
        select(SystemicRating).where(
            SystemicRating.period_id == period.id, SystemicRating.item_id == item_id
        )
    )


def complete_interviews(period: ReviewPeriod) -> list[Interview]:
    """Return the period's complete interviews in the current scope, oldest first."""
    return list(
        db.session.scalars(
            select(Interview)
            .where(
                Interview.period_id == period.id,
                in_scope(Interview, period.site_id),
                Interview.status == InterviewStatus.COMPLETE,
            )
            .options(joinedload(Interview.local_site))
            .order_by(Interview.held_on, Interview.id)
        )
    )


def final_texts(interview_ids: list[int]) -> dict[int, dict[str, str]]:
    """Return each interview's final notes (item id -> text), in one query."""
    if not interview_ids:
        return {}
    rows = db.session.execute(
        select(NoteSet.interview_id, NoteSet.texts).where(
            NoteSet.interview_id.in_(interview_ids), NoteSet.author_id.is_(None)
        )
    )
    return {interview_id: texts or {} for interview_id, texts in rows}


def interview_counts(period: ReviewPeriod) -> dict[InterviewStatus, int]:
    """Return the number of the period's interviews in the current scope per status."""
    rows = db.session.execute(
        select(Interview.status, func.count())
        .where(Interview.period_id == period.id, in_scope(Interview, period.site_id))
        .group_by(Interview.status)
    )
    return dict(rows.all())


def interviews_of(period: ReviewPeriod, user: User) -> set[int]:
    """Return the ids of the period's interviews the user takes part in."""
    return set(
        db.session.scalars(
            select(Interview.id).where(Interview.period_id == period.id, taking_part(user.id))
        )
    )


def cited_in_scope(ratings: dict[str, SystemicRating], scope: Scope) -> dict[str, list[Interview]]:
    """Return item id -> the interviews its rating cites that ``scope`` reaches.

    A rating is for the whole site; a person limited to some local sites sees the
    evidence of theirs only.
    """
    return {
        item_id: [i for i in row.interviews if scope.covers(i.local_site_id)]
        for item_id, row in ratings.items()
    }
