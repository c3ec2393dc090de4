"""Reads of the audit log."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from review_app.audit.models import AuditEntry

# Recomputing the hash chains (flask audit verify; backup and restore checks).
from review_app.audit.verify import BrokenEntry as BrokenEntry
from review_app.audit.verify import ChainReport as ChainReport
from review_app.audit.verify import verify_chain as verify_chain
from review_app.extensions import db


@dataclass
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    since: date | None = None
    until: date | None = None


def _filtered(statement: Select, filters: AuditFilters) -> Select:
    if filters.actor:
        # The log shows full names; a username (what the entry records) matches too.
        who = filters.actor.lower()
        account = AuditEntry.actor.property.mapper.class_  # the model the entry names
        named = select(account.id).where(func.lower(account.display_name) == who)
        statement = statement.where(
            or_(func.lower(AuditEntry.actor_name) == who, AuditEntry.actor_id.in_(named))
        )
    if filters.action:
        statement = statement.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.object_type:
        statement = statement.where(AuditEntry.object_type == filters.object_type)
    if filters.since:
        statement = statement.where(AuditEntry.created_at >= filters.since)
    if filters.until and filters.until < date.max:  # date.max: no day after it to stop at
        statement = statement.where(AuditEntry.created_at < filters.until + timedelta(days=1))
    return statement


def entries(
    site_id: int | None, filters: AuditFilters, page: int, per_page: int
) -> tuple[list[AuditEntry], int]:
    """Return one page of a site's entries, newest first (site_id None: outside any site)."""
    statement = _filtered(
        select(AuditEntry).where(
            AuditEntry.site_id.is_(site_id) if site_id is None else AuditEntry.site_id == site_id
        ),
        filters,
    )
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    rows = db.session.scalars(
        statement.options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def action_names(site_id: int | None) -> list[str]:
    """Return the distinct actions recorded, for the filter list."""
    column = AuditEntry.site_id
    where = column.is_(None) if site_id is None else column == site_id
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(where).distinct().order_by(AuditEntry.action)
        )
    )
