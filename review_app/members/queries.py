"""Reads about a site's members."""

from sqlalchemy import ColumnExpressionArgument, func, or_, select
from sqlalchemy.orm import contains_eager

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.members.models import Membership, ScopeEntry
from review_app.sites.models import Jurisdiction, Region, Site
from review_app.sites.signals import region_use_asked

ROLE_FILTERS = {
    "state_admin": Membership.is_state_admin,
    "reviewer": Membership.is_reviewer,
    "qa1": Membership.qa_level == 1,
    "qa2": Membership.qa_level == 2,
    "observer": Membership.is_observer,
}


def active_people(site: Site, role: ColumnExpressionArgument[bool]) -> list[User]:
    """Return the site's active people whose active membership meets ``role``, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.site_id == site.id, Membership.is_active, role, User.is_active)
            .order_by(User.display_name)
        )
    )


def members(
    site: Site,
    *,
    search: str = "",
    role: str = "",
    status: str = "active",
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[Membership], int]:
    """Return one page of the site's members with their accounts, and the total count."""
    statement = (
        select(Membership)
        .join(Membership.user)
        .options(contains_eager(Membership.user))
        .where(Membership.site_id == site.id)
    )
    if search:
        # autoescape: a typed % or _ is a character to find, not a wildcard.
        text = search.lower()
        statement = statement.where(
            or_(
                *(
                    func.lower(column).contains(text, autoescape=True)
                    for column in (User.username, User.display_name, User.email)
                )
            )
        )
    if role in ROLE_FILTERS:
        statement = statement.where(ROLE_FILTERS[role])
    if status == "active":
        statement = statement.where(Membership.is_active)
    elif status == "inactive":
        statement = statement.where(~Membership.is_active)
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    page_rows = db.session.scalars(
        statement.order_by(User.display_name, User.username)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return list(page_rows), total


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def known_in_jurisdiction(jurisdiction_id: int, user_ids: list[int]) -> set[int]:
    """Return which of these users hold or held a membership on one of the jurisdiction's sites.

    These are the accounts the jurisdiction's state administrators may see and manage.
    """
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(Membership.user_id)
            .join(Membership.site)
            .where(Site.jurisdiction_id == jurisdiction_id, Membership.user_id.in_(user_ids))
        )
    )


def user_in_jurisdiction(username: str, jurisdiction: Jurisdiction) -> User | None:
    """Return the account with this username if it holds or held a role in the jurisdiction."""
    user = user_by_username(username)
    if user is None or not known_in_jurisdiction(jurisdiction.id, [user.id]):
        return None
    return user


@region_use_asked.connect
def people_limited_to(region: Region, **_: object) -> list[str]:
    """Return the names of the people whose access ``region`` limits (asked by sites).

    Former members count too: their access, given back, would be limited to it.
    """
    rows = db.session.execute(
        select(User.display_name, Membership.is_active)
        .join(Membership, Membership.user_id == User.id)
        .join(ScopeEntry, ScopeEntry.membership_id == Membership.id)
        .where(ScopeEntry.region_id == region.id)
        .order_by(User.display_name)
    )
    return [name if active else f"{name} (access removed)" for name, active in rows]
