"""Reads of cases: the filtered list, one's own cases, one case with what its page needs."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from review_app.accounts.models import User
from review_app.cases.models import Assignment, Case
from review_app.core.scope import current_scope, in_scope
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.members.queries import active_people
from review_app.members.scope_queries import reaches_any_of
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import LocalSite, Site

SORTS = {
    "case": (Case.case_number,),
    "local_site": (LocalSite.name, Case.case_number),
    "type": (Case.case_type, Case.case_number),
    "status": (Case.status, Case.case_number),
    "period": (ReviewPeriod.name, Case.case_number),
}


@dataclass
class CaseFilters:
    period_id: int | None = None
    local_site_id: int | None = None
    case_type: str = ""
    status: str = ""
    reviewer_id: int | None = None
    only_assigned_to: int | None = None  # a reviewer who sees only their own cases
    sort: str = "case"
    descending: bool = False


def _filtered(site: Site, filters: CaseFilters) -> Select:
    # Only the local sites the person reaches (core/scope.py), whatever the filters ask.
    statement = select(Case).join(Case.local_site).join(Case.period).where(in_scope(Case, site))
    if filters.period_id:
        statement = statement.where(Case.period_id == filters.period_id)
    if filters.local_site_id:
        statement = statement.where(Case.local_site_id == filters.local_site_id)
    if filters.case_type:
        statement = statement.where(Case.case_type == filters.case_type)
    if filters.status:
        statement = statement.where(Case.status == filters.status)
    for user_id in (filters.reviewer_id, filters.only_assigned_to):
        if user_id:
            statement = statement.where(
                Case.id.in_(select(Assignment.case_id).where(Assignment.user_id == user_id))
            )
    return statement


def cases(site: Site, filters: CaseFilters, page: int, per_page: int) -> tuple[list[Case], int]:
    """Return one page of the site's cases in the current scope, with what the list shows."""
    statement = _filtered(site, filters)
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    columns = SORTS.get(filters.sort, SORTS["case"])
    order = [column.desc() for column in columns] if filters.descending else list(columns)
    rows = db.session.scalars(
        statement.options(
            joinedload(Case.local_site),
            joinedload(Case.period),
            selectinload(Case.assignments).joinedload(Assignment.user),
        )
        .order_by(*order, Case.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows.unique()), total


def reviewers(site: Site) -> list[User]:
    """Return the site's active reviewers by name who work in the current scope.

    A person limited to some local sites is offered only reviewers reaching one of them.
    """
    return active_people(site, Membership.is_reviewer, reaches_any_of(current_scope(site)))


def is_assigned(case: Case, user_id: int) -> bool:
    return any(assignment.user_id == user_id for assignment in case.assignments)


def case_with_details(case_id: int) -> Case | None:
    return db.session.scalar(
        select(Case)
        .where(Case.id == case_id)
        .options(
            joinedload(Case.local_site),
            joinedload(Case.period),
            selectinload(Case.assignments).joinedload(Assignment.user),
        )
    )
