"""Reads for QA: threads of a case, queues, inboxes, a case's history."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.cases.models import Assignment, Case
from review_app.cases.states import CaseStatus
from review_app.cases.workflow import ACTIONS
from review_app.core.scope import WHOLE_SITE, Scope, in_scope
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.members.queries import active_people
from review_app.members.scope_queries import reaching
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
    return db.session.execute(select(func.count()).where(subject, Thread.is_open)).scalar_one()


def queue(site: Site, statuses: list[CaseStatus]) -> list[Case]:
    """Return the site's cases in these statuses inside the current scope, oldest first."""
    return list(
        db.session.scalars(
            select(Case)
            .where(in_scope(Case, site), Case.status.in_(statuses))
            .options(
                joinedload(Case.local_site),
                joinedload(Case.period),
                joinedload(Case.qa_holder),
                selectinload(Case.assignments).joinedload(Assignment.user),
            )
            .order_by(Case.status_changed_at, Case.id)
        ).unique()
    )


def waiting_threads(site: Site, user: User) -> list[Thread]:
    """Return open threads on the user's cases (in scope) whose last word is not the user's."""
    return waiting_for(
        user,
        select(Thread)
        .join(Case, Case.id == Thread.case_id)
        .join(Assignment, Assignment.case_id == Case.id)
        .where(in_scope(Case, site), Assignment.user_id == user.id),
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
    """Return the user's cases (in the current scope) returned to them by QA."""
    return list(
        db.session.scalars(
            select(Case)
            .join(Assignment)
            .where(
                in_scope(Case, site),
                Case.status == CaseStatus.RETURNED,
                Assignment.user_id == user.id,
            )
            .options(joinedload(Case.local_site))
            .order_by(Case.status_changed_at)
        )
    )


# Kinds of change the history page filters by: rating-change fields, or audit actions.
HISTORY_KINDS = {
    "answers": "Answers, narratives and rationales",
    "ratings": "Calculated ratings",
    "overrides": "QA overrides",
    "status": "Status changes",
    "people": "Reviewers and QA holder",
    "details": "Case details",
}
_RATING_FIELDS = {"ratings": ["rating"], "overrides": ["override"]}
_EVENT_ACTIONS = {
    "status": [f"case.{name}" for name in ACTIONS] + ["case.undo_return"],
    "people": ["case.assign", "case.reassign", "qa.take", "qa.release", "qa.hand_over"],
    "details": ["case.create", "case.update", "case.import"],
}


@dataclass(frozen=True)
class HistoryFilter:
    """What the history page shows: one item, one person's changes, one kind (None: all)."""

    item: str | None = None
    person: int | None = None
    kind: str | None = None


def history(
    case: Case, only: HistoryFilter = HistoryFilter()
) -> tuple[list[RatingChange], list[AuditEntry]]:
    """Return the case's rating changes and its other recorded events, oldest first.

    ``only`` narrows both in the database: an item keeps that item's changes (events
    concern the whole case, so none), a person keeps what they did, a kind keeps
    rating changes of its fields or events of its actions. Two statements at most.
    """
    changes: list[RatingChange] = []
    events: list[AuditEntry] = []
    if only.kind is None or only.kind in {"answers", *_RATING_FIELDS}:
        statement = select(RatingChange).where(RatingChange.case_id == case.id)
        if only.kind == "answers":
            statement = statement.where(RatingChange.field.not_in(["rating", "override"]))
        elif only.kind in _RATING_FIELDS:
            statement = statement.where(RatingChange.field.in_(_RATING_FIELDS[only.kind]))
        if only.item:
            statement = statement.where(RatingChange.item_id == only.item)
        if only.person:
            statement = statement.where(RatingChange.actor_id == only.person)
        changes = list(
            db.session.scalars(
                statement.options(joinedload(RatingChange.actor)).order_by(
                    RatingChange.created_at, RatingChange.id
                )
            )
        )
    if only.item is None and (only.kind is None or only.kind in _EVENT_ACTIONS):
        entries = select(AuditEntry).where(
            AuditEntry.object_type == "Case",
            AuditEntry.object_id == case.id,
            AuditEntry.action != "case.item_save",
            AuditEntry.is_read_event == false(),  # downloads and API reads change nothing
        )
        if only.kind:
            entries = entries.where(AuditEntry.action.in_(_EVENT_ACTIONS[only.kind]))
        if only.person:
            entries = entries.where(AuditEntry.actor_id == only.person)
        events = list(
            db.session.scalars(
                entries.options(joinedload(AuditEntry.actor)).order_by(
                    AuditEntry.created_at, AuditEntry.id
                )
            )
        )
    return changes, events


def history_people(case: Case) -> list[User]:
    """Return everyone who changed the case (answers or events), by name, in one statement."""
    changed = select(RatingChange.actor_id).where(RatingChange.case_id == case.id)
    acted = select(AuditEntry.actor_id).where(
        AuditEntry.object_type == "Case",
        AuditEntry.object_id == case.id,
        AuditEntry.is_read_event == false(),
    )
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(changed.union(acted).scalar_subquery()))
            .order_by(User.display_name)
        )
    )


def return_reasons(case_ids: set[int]) -> dict[int | None, str]:
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


def caseload_of(site, user: User, scope: Scope = WHOLE_SITE) -> list[Case]:
    """Return the reviewer's open cases a caseload move would touch, by case number.

    ``scope`` is the mover's: a limited administrator moves the cases of their local sites.
    """
    return list(
        db.session.scalars(
            select(Case)
            .join(Assignment)
            .where(
                Case.site_id == site.id,
                Assignment.user_id == user.id,
                Case.status.not_in(CaseStatus.CLOSED),
                Case.key_case_id.is_(None),  # a practice copy stays with its trainee
                scope.condition(Case.local_site_id),
            )
            .options(joinedload(Case.local_site))
            .order_by(Case.case_number)
        )
    )


def qa_staff(site: Site, min_level: int, local_site_id: int | None = None) -> list[User]:
    """Return the site's active QA staff who act at ``min_level`` or above, by name.

    Site Leaders do first-level QA. With ``local_site_id``, only those whose access
    reaches that local site.
    """
    rank = Membership.qa_level >= min_level
    if min_level <= 1:
        rank = or_(rank, Membership.is_site_leader)
    return active_people(site, rank, *reaching(local_site_id))


def held_by(site: Site, user: User) -> list[Case]:
    """Return the cases the user holds for QA on the site (in scope), longest waiting first."""
    return list(
        db.session.scalars(
            select(Case)
            .where(
                in_scope(Case, site),
                Case.qa_holder_id == user.id,
                Case.status.in_(CaseStatus.HELD_BY_QA),
            )
            .options(
                joinedload(Case.local_site),
                joinedload(Case.qa_holder),
                selectinload(Case.assignments).joinedload(Assignment.user),
            )
            .order_by(Case.status_changed_at, Case.id)
        ).unique()
    )


def cases_in_order(ids: list[int], scope: Scope = WHOLE_SITE) -> list[Case]:
    """Return the cases with these ids inside ``scope``, by case number, with their reviewers."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.id.in_(ids), scope.condition(Case.local_site_id))
            .options(
                joinedload(Case.local_site),
                selectinload(Case.assignments).joinedload(Assignment.user),
            )
            .order_by(Case.case_number)
        ).unique()
    )
