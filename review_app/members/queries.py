"""Reads about a site's members."""

from sqlalchemy import ColumnElement, ColumnExpressionArgument, exists, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from review_app.accounts.models import User
from review_app.core.scope import Scope
from review_app.extensions import db
from review_app.members.models import Membership, ScopeEntry
from review_app.sites.models import Jurisdiction, LocalSite, Region, Site
from review_app.sites.signals import region_use_asked

ROLE_FILTERS = {
    "state_admin": Membership.is_state_admin,
    "reviewer": Membership.is_reviewer,
    "qa1": Membership.qa_level == 1,
    "qa2": Membership.qa_level == 2,
    "observer": Membership.is_observer,
    "site_leader": Membership.is_site_leader,
}


def inside(scope: Scope) -> ColumnElement[bool]:
    """Return the condition that a membership's scope lies inside ``scope``.

    A limited membership is inside when none of its entries reaches a local site
    outside: neither a local site named, nor one that a named region holds now.
    """
    if scope.is_whole_site:
        return Membership.id.is_not(None)
    ids = sorted(scope.local_site_ids or ())
    outside_entry = exists().where(
        ScopeEntry.membership_id == Membership.id,
        or_(
            ScopeEntry.local_site_id.not_in(ids),
            exists().where(LocalSite.region_id == ScopeEntry.region_id, LocalSite.id.not_in(ids)),
        ),
    )
    return Membership.is_limited & ~outside_entry


def in_region(region_id: int) -> ColumnElement[bool]:
    """Return the condition that a membership names the region or one of its local sites."""
    return exists().where(
        ScopeEntry.membership_id == Membership.id,
        or_(
            ScopeEntry.region_id == region_id,
            ScopeEntry.local_site_id.in_(
                select(LocalSite.id).where(LocalSite.region_id == region_id)
            ),
        ),
    )


def active_people(site: Site, *conditions: ColumnExpressionArgument[bool]) -> list[User]:
    """Return the site's active people whose active membership meets ``conditions`` (a role,
    a local site it reaches), by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.site_id == site.id, Membership.is_active, User.is_active, *conditions)
            .order_by(User.display_name, User.id)
        )
    )


def members(
    site: Site,
    *,
    search: str = "",
    role: str = "",
    status: str = "active",
    region: str = "",
    within: Scope | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[Membership], int]:
    """Return one page of the site's members with their accounts, and the total count.

    ``within``: only memberships whose scope lies inside it (a limited administrator's);
    ``region``: the id of a region whose local sites the membership names.
    """
    statement = (
        select(Membership)
        .join(Membership.user)
        .options(
            contains_eager(Membership.user),
            selectinload(Membership.scope_entries).options(
                joinedload(ScopeEntry.region).selectinload(Region.local_sites),
                joinedload(ScopeEntry.local_site),
            ),
        )
        .where(Membership.site_id == site.id)
    )
    if within is not None and not within.is_whole_site:
        statement = statement.where(inside(within))
    if region.isdigit() and len(region) < 10:  # an id, not a number past the column
        statement = statement.where(in_region(int(region)))
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
