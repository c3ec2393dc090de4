"""Reads about access requests: a person's own, and those an administrator may decide."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from review_app.access_requests.models import AccessRequest, RequestedPlace
from review_app.access_requests.states import RequestStatus
from review_app.accounts.models import User
from review_app.core.scope import Scope, scope_of
from review_app.extensions import db
from review_app.members.identity import membership_scope, reach_of
from review_app.members.models import Membership
from review_app.members.queries import active_people
from review_app.sites.models import Jurisdiction, Site


def requested_scope(request: AccessRequest) -> Scope:
    """Return the local sites the request asks to reach (the whole site when not limited)."""
    if not request.is_limited:
        return Scope()
    local_ids = [local.id for local in request.local_sites]
    return reach_of(request.regions, local_ids, request.scope_text)


def may_decide(user: User, request: AccessRequest) -> bool:
    """Tell whether ``user`` administers the request's site with a scope containing it."""
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.site_id == request.site_id,
            Membership.is_active,
            Membership.is_state_admin,
        )
    )
    if membership is None or user.id == request.user_id:
        return False
    return membership_scope(membership).contains(requested_scope(request))


def _with_places(statement):
    return statement.options(
        selectinload(AccessRequest.places).selectinload(RequestedPlace.region),
        selectinload(AccessRequest.places).selectinload(RequestedPlace.local_site),
    )


def pending_for(site: Site, admin: User) -> list[AccessRequest]:
    """Return the site's pending requests ``admin`` may decide, oldest first."""
    requests = db.session.scalars(
        _with_places(
            select(AccessRequest)
            .where(AccessRequest.site_id == site.id, AccessRequest.status == RequestStatus.PENDING)
            .order_by(AccessRequest.created_at, AccessRequest.id)
        )
    )
    own = scope_of(admin, site)
    return [
        request
        for request in requests
        if request.user_id != admin.id and own.contains(requested_scope(request))
    ]


def pending_count(site: Site, admin: User) -> int:
    """Return how many of the site's pending requests ``admin`` may decide."""
    return len(pending_for(site, admin))


def deciders(request: AccessRequest) -> list[User]:
    """Return the active state administrators who may decide the request."""
    admins = active_people(request.site, Membership.is_state_admin)
    return [admin for admin in admins if may_decide(admin, request)]


def mine(user: User) -> list[AccessRequest]:
    """Return the person's requests, newest first."""
    return list(
        db.session.scalars(
            _with_places(
                select(AccessRequest)
                .where(AccessRequest.user_id == user.id)
                .order_by(AccessRequest.created_at.desc(), AccessRequest.id.desc())
            )
        )
    )


def pending_of(user: User, site_ids: list[int]) -> list[AccessRequest]:
    """Return the person's pending requests to these sites."""
    return list(
        db.session.scalars(
            select(AccessRequest).where(
                AccessRequest.user_id == user.id,
                AccessRequest.site_id.in_(site_ids),
                AccessRequest.status == RequestStatus.PENDING,
            )
        )
    )


def all_sites() -> list[Site]:
    """Return every site of every jurisdiction, by jurisdiction name and kind."""
    return list(
        db.session.scalars(
            select(Site).join(Site.jurisdiction).order_by(Jurisdiction.name, Site.id)
        )
    )
