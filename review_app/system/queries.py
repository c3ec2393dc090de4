"""Reads for system administration: no case data, only structure and accounts."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.sites.models import Jurisdiction, Site


def jurisdictions() -> list[Jurisdiction]:
    return list(
        db.session.scalars(
            select(Jurisdiction)
            .order_by(Jurisdiction.name)
            .options(selectinload(Jurisdiction.sites))
        )
    )


def state_admins(jurisdiction: Jurisdiction) -> list[Membership]:
    """Return the active state administrators of the jurisdiction's sites."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.site)
            .where(
                Site.jurisdiction_id == jurisdiction.id,
                Membership.is_active,
                Membership.is_state_admin,
            )
            .options(selectinload(Membership.user))
            .order_by(Site.id)
        )
    )


def accounts(search: str, page: int, per_page: int) -> tuple[list[User], int]:
    statement = select(User)
    if search:
        pattern = f"%{search.lower()}%"
        statement = statement.where(
            or_(
                func.lower(User.username).like(pattern), func.lower(User.display_name).like(pattern)
            )
        )
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    rows = db.session.scalars(
        statement.order_by(User.username).limit(per_page).offset((page - 1) * per_page)
    )
    return list(rows), total
