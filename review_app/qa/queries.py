"""Reads for QA: threads of a case, queues, inboxes, a case's history."""

from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.orm import joinedload, selectinload

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.cases.models import Assignment, Case
from review_app.extensions import db
from review_app.qa.models import Comment, Thread
from review_app.ratings.models import RatingChange
from review_app.sites.models import Site


def threads(case: Case) -> list[Thread]:
    """Return the case's threads with their comments and authors, open ones first."""
    return threads_where(Thread.case_id == case.id)


def threads_where(subject: ColumnElement[bool]) -> list[Thread]:
    """Return the threads on one subject (``Thread.case_id == id`` or the interview's)."""
    return list(
        db.session.scalars(
            select(Thread)
            .where(subject)
            .options(
                selectinload(Thread.comments).joinedload(Comment.author),
                joinedload(Thread.created_by),
                joinedload(Thread.resolved_by),
            )
            .order_by(Thread.is_open.desc(), Thread.id)
        ).unique()
    )


def open_count(subject: ColumnElement[bool]) -> int:
    """Return the number of open threads on one subject (see ``threads_where``)."""
    return db.session.scalar(select(func.count()).where(subject, Thread.is_open))


def queue(site: Site, statuses: list[str]) -> list[Case]:
    """Return the site's cases in these statuses, longest waiting first."""
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.site_id == site.id, Case.status.in_(statuses))
            .options(
                joinedload(Case.local_site),
                joinedload(Case.period),
                selectinload(Case.assignments).joinedload(Assignment.user),
            )
            .order_by(Case.status_changed_at, Case.id)
        ).unique()
    )


def waiting_threads(site: Site, user: User) -> list[Thread]:
    """Return open threads on the user's cases whose last word is not the user's."""
    return waiting_for(
        user,
        select(Thread)
        .join(Case, Case.id == Thread.case_id)
        .join(Assignment, Assignment.case_id == Case.id)
        .where(Case.site_id == site.id, Assignment.user_id == user.id),
    )


def waiting_for(user: User, statement: Select) -> list[Thread]:
    """Return the open threads ``statement`` selects whose last comment is not the user's."""
    last = (
        select(Comment.thread_id, func.max(Comment.id).label("last_id"))
        .group_by(Comment.thread_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            statement.join(last, last.c.thread_id == Thread.id)
            .join(Comment, Comment.id == last.c.last_id)
            .where(Thread.is_open, Comment.author_id != user.id)
            .options(selectinload(Thread.comments).joinedload(Comment.author))
            .order_by(Thread.created_at)
        ).unique()
    )


def cases_by_id(ids: set[int]) -> dict[int, Case]:
    if not ids:
        return {}
    return {case.id: case for case in db.session.scalars(select(Case).where(Case.id.in_(ids)))}


def returned_to(site: Site, user: User) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .join(Assignment)
            .where(
                Case.site_id == site.id, Case.status == "returned", Assignment.user_id == user.id
            )
            .options(joinedload(Case.local_site))
            .order_by(Case.status_changed_at)
        )
    )


def history(case: Case) -> tuple[list[RatingChange], list[AuditEntry]]:
    """Return the case's rating changes and its other recorded events, oldest first."""
    changes = list(
        db.session.scalars(
            select(RatingChange)
            .where(RatingChange.case_id == case.id)
            .options(selectinload(RatingChange.actor))
            .order_by(RatingChange.created_at, RatingChange.id)
        )
    )
    events = list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.object_type == "Case",
                AuditEntry.object_id == case.id,
                AuditEntry.action != "case.item_save",
                AuditEntry.is_read_event == false(),  # downloads and API reads change nothing
            )
            .options(selectinload(AuditEntry.actor))
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
    )
    return changes, events


def return_reasons(case_ids: set[int]) -> dict[int, str]:
    """Return the reason of each case's latest return to its reviewers, in one query."""
    if not case_ids:
        return {}
    latest = (
        select(func.max(AuditEntry.id))
        .where(
            AuditEntry.action == "case.return",
            AuditEntry.object_type == "Case",
            AuditEntry.object_id.in_(case_ids),
        )
        .group_by(AuditEntry.object_id)
    )
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.id.in_(latest)))
    return {row.object_id: (row.after or {}).get("reason", "") for row in rows}
