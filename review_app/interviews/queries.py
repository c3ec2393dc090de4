"""Reads of interviews: the list, one interview with its notes and people, threads, inbox items."""

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from review_app.accounts.models import User
from review_app.cases.queries import reviewers
from review_app.core.scope import in_scope
from review_app.extensions import db
from review_app.interviews.models import STATUS_LABELS, Interview, NoteSet, interview_note_takers
from review_app.qa.models import Thread
from review_app.qa.queries import threads_where, waiting_for
from review_app.qa.signals import inbox_shown
from review_app.sites.models import Site


@dataclass
class InterviewFilters:
    period_id: int | None = None
    status: str = ""
    only_for: int | None = None  # a reviewer sees the interviews they take part in


def taking_part(user_id: int):
    return or_(
        Interview.interviewer_id == user_id,
        Interview.official_note_taker_id == user_id,
        Interview.id.in_(
            select(interview_note_takers.c.interview_id).where(
                interview_note_takers.c.user_id == user_id
            )
        ),
    )


def _filtered(site: Site, filters: InterviewFilters) -> Select:
    # Only the local sites the person reaches (core/scope.py).
    statement = select(Interview).where(in_scope(Interview, site))
    if filters.period_id:
        statement = statement.where(Interview.period_id == filters.period_id)
    if filters.status in STATUS_LABELS:
        statement = statement.where(Interview.status == filters.status)
    if filters.only_for:
        statement = statement.where(taking_part(filters.only_for))
    return statement


def interviews(
    site: Site, filters: InterviewFilters, page: int, per_page: int
) -> tuple[list[Interview], int]:
    """Return one page of the site's interviews in the current scope, newest first."""
    statement = _filtered(site, filters)
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    rows = db.session.scalars(
        statement.options(
            joinedload(Interview.local_site),
            joinedload(Interview.period),
            joinedload(Interview.interviewer),
            joinedload(Interview.official_note_taker),
            selectinload(Interview.supporting_note_takers),
            # Who is done writing, without loading the texts.
            selectinload(Interview.note_sets).options(
                load_only(NoteSet.interview_id, NoteSet.author_id, NoteSet.is_done)
            ),
        )
        .order_by(Interview.held_on.desc(), Interview.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows.unique()), total


def interview_with_details(interview_id: int) -> Interview | None:
    return db.session.scalar(
        select(Interview)
        .where(Interview.id == interview_id)
        .options(
            joinedload(Interview.local_site),
            joinedload(Interview.period),
            joinedload(Interview.interviewer),
            joinedload(Interview.official_note_taker),
            selectinload(Interview.supporting_note_takers),
            selectinload(Interview.note_sets).joinedload(NoteSet.author),
        )
    )


def people_for(site: Site, interview: Interview | None) -> dict[int, User]:
    """Return the site's reviewers, and the interview's people even if no longer reviewers."""
    people = {user.id: user for user in reviewers(site)}
    if interview is not None:
        for user in (interview.interviewer, *interview.note_takers):
            people.setdefault(user.id, user)
    return people


def threads(interview: Interview) -> list[Thread]:
    """Return the interview's QA threads with comments and authors, open ones first."""
    return threads_where(Thread.interview_id == interview.id)


def waiting_threads(site: Site, user: User) -> list[Thread]:
    """Return open threads on interviews the user takes part in whose last word is not theirs."""
    return waiting_for(
        user,
        select(Thread)
        .join(Interview, Interview.id == Thread.interview_id)
        .where(in_scope(Interview, site), taking_part(user.id)),
    )


@inbox_shown.connect
def _inbox_threads(site: Site, user: User) -> dict:
    """Add the threads on interviews that wait for the user to the QA inbox."""
    waiting = waiting_threads(site, user)
    return {
        "interview_threads": waiting,
        "thread_interviews": interviews_by_id(
            {t.interview_id for t in waiting if t.interview_id is not None}
        ),
    }


def interviews_by_id(ids: set[int]) -> dict[int, Interview]:
    if not ids:
        return {}
    statement = (
        select(Interview).where(Interview.id.in_(ids)).options(joinedload(Interview.local_site))
    )
    return {interview.id: interview for interview in db.session.scalars(statement)}
