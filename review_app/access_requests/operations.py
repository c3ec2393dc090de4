"""Every change to access requests: asking, withdrawing, approving and declining.

Approving grants through members' own operations, so every check of a grant
applies. A request is decided once: the decision is one guarded UPDATE on the
pending state, so of two administrators deciding at once the second is told who
decided first, and nothing of theirs is kept.
"""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from review_app.access_requests import queries
from review_app.access_requests.models import AccessRequest, RequestedPlace
from review_app.access_requests.states import STATUS_LABELS, RequestStatus
from review_app.accounts.models import User
from review_app.audit.labels import name_values
from review_app.audit.operations import record
from review_app.core.errors import OperationError, StateChanged
from review_app.core.models import utcnow
from review_app.core.roles import RoleSet, roles_text
from review_app.core.scope import scope_of
from review_app.extensions import db
from review_app.mail.links import external_url
from review_app.mail.operations import send_mail
from review_app.members import operations as members
from review_app.members.scope_operations import check_leader_scope, set_scope
from review_app.members.scope_queries import reaches_all_of
from review_app.notices.operations import notify, site_path
from review_app.notices.states import NoticeKind
from review_app.sites.models import LocalSite, Region, Site

MAX_REASON = 2000
name_values("request_status", STATUS_LABELS)


def _snapshot(request: AccessRequest) -> dict[str, Any]:
    return {
        "request_status": request.status.value,
        "roles": request.roles.codes,
        "scope": request.scope_text,
    }


def _check_reason(text: str, field: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise OperationError(f"Give {what}.", field)
    if len(text) > MAX_REASON:
        raise OperationError(f"Use at most {MAX_REASON} characters (this has {len(text)}).", field)
    return text


def _check_places(
    site: Site, limited: bool, regions: list[Region], locals_: list[LocalSite]
) -> None:
    places: list[Region | LocalSite] = [*regions, *locals_]
    strangers = [place.name for place in places if place.site_id != site.id]
    if strangers:
        raise OperationError(
            f"Not a region or local site of {site.label}: {', '.join(strangers)}.", "scope"
        )
    if limited and not regions and not locals_:
        raise OperationError(
            "Choose at least one region or local site, or ask for the whole site.", "scope"
        )


def submit_request(
    actor: User,
    site: Site,
    roles: RoleSet,
    limited: bool,
    regions: list[Region],
    local_sites: list[LocalSite],
    reason: str,
) -> AccessRequest:
    """Ask for ``roles`` on ``site`` (on these regions and local sites when ``limited``).

    Refused, keeping nothing, for no role, a QA level the site lacks, a place of another
    site, an empty limited scope, a Site Leader of no local site, no reason, or a request
    to this site already waiting. The administrators who may decide it are told.
    """
    members.check_roles(site, roles)
    _check_places(site, limited, regions, local_sites)
    request = AccessRequest(user=actor, site=site, is_limited=limited)
    request.roles = roles
    request.places = [RequestedPlace(region=region) for region in regions] + [
        RequestedPlace(local_site=local) for local in local_sites
    ]
    check_leader_scope(roles, limited, queries.requested_scope(request))
    request.reason = _check_reason(reason, "reason", "the reason you need this access")
    waiting = queries.pending_of(actor, [site.id])
    if waiting:
        raise OperationError(
            f"You already asked for access to {site.label} and that request waits for a "
            "decision: withdraw it first to ask for something else."
        )
    try:
        with db.session.begin_nested():  # a second send of the same form at the same moment
            db.session.add(request)
            db.session.flush()
    except IntegrityError:
        raise OperationError(
            f"You already asked for access to {site.label} and that request waits for a decision."
        ) from None
    record(
        actor,
        "access_request.create",
        request,
        f"{actor.display_name} asked for access: {roles_text(roles)}; {request.scope_text}",
        site=site,
        after=_snapshot(request),
    )
    notify(
        queries.deciders(request),
        site,
        NoticeKind.ACCESS_REQUEST,
        f"{actor.display_name} asks for access: {roles_text(roles)}, {request.scope_text}.",
        site_path(site, "access_admin.show", request_id=request.id),
        actor=actor,
    )
    return request


def _settle(actor: User, request: AccessRequest, status: RequestStatus, reason: str = "") -> None:
    """Move the request from pending to ``status``, or refuse: someone decided it already."""
    result = db.session.execute(
        update(AccessRequest)
        .where(AccessRequest.id == request.id, AccessRequest.status == RequestStatus.PENDING)
        .values(status=status, decided_by_id=actor.id, decided_at=utcnow(), decision_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        db.session.refresh(request)
        by = request.decided_by.display_name if request.decided_by else "someone"
        if request.status == RequestStatus.WITHDRAWN and request.decided_by_id == request.user_id:
            message = "This request was withdrawn by the person who made it."
        else:
            message = f"This request was already {request.status.label.lower()} by {by}."
        raise StateChanged(message)
    db.session.refresh(request)


def withdraw_request(actor: User, request: AccessRequest) -> None:
    """Withdraw one's own request while it waits."""
    if request.user_id != actor.id:
        raise OperationError("Only the person who asked can withdraw this request.")
    _withdraw(actor, request, f"{actor.display_name} withdrew their request for access")


def _withdraw(actor: User, request: AccessRequest, summary: str, reason: str = "") -> None:
    """Withdraw a pending request (or refuse: it was decided) and audit it."""
    before = _snapshot(request)
    _settle(actor, request, RequestStatus.WITHDRAWN, reason)
    record(
        actor,
        "access_request.withdraw",
        request,
        summary,
        site=request.site,
        before=before,
        after=_snapshot(request),
    )


def _check_decider(actor: User, request: AccessRequest) -> None:
    if request.user_id == actor.id:
        raise OperationError("You cannot decide your own request: another administrator does.")
    if not queries.may_decide(actor, request):
        own = scope_of(actor, request.site)
        raise OperationError(
            f"Your access reaches {own.label or 'part of the site'} only: an administrator "
            "whose access contains what was asked decides this request."
        )


def approve_request(actor: User, request: AccessRequest) -> None:
    """Grant what was asked, through members' operations, and email the person.

    Someone without active access to the site is granted it (``grant_access``); someone
    with access has their roles and scope replaced by what they asked for (a request is
    how a person asks for a change too), provided the actor's scope contains their
    current scope as well.
    """
    _check_decider(actor, request)
    before = _snapshot(request)
    _settle(actor, request, RequestStatus.APPROVED)
    site, user, roles = request.site, request.user, request.roles
    places = (request.regions, request.local_sites)
    membership = members.membership_of(user, site)
    if membership is None or not membership.is_active:
        members.grant_access(
            actor, site, user, roles, places if request.is_limited else None, asked=True
        )
    else:
        if not reaches_all_of(actor, membership):
            raise OperationError(
                f"{user.display_name} already works on parts of this site beyond your access: "
                "an administrator of their part decides this request."
            )
        # A Site Leader needs their local sites before the role, and keeps them until it goes.
        if roles.is_site_leader:
            set_scope(actor, membership, request.is_limited, *places)
            members.set_roles(actor, membership, roles)
        else:
            members.set_roles(actor, membership, roles)
            set_scope(actor, membership, request.is_limited, *places)
    record(
        actor,
        "access_request.approve",
        request,
        f"Approved the request of {user.display_name}: {roles_text(roles)}; {request.scope_text}",
        site=site,
        before=before,
        after=_snapshot(request),
    )
    _email_decision(request, approved=True)


def decline_request(actor: User, request: AccessRequest, reason: str) -> None:
    """Decline the request with a reason the person is emailed."""
    reason = _check_reason(reason, "decision_reason", "the reason for declining")
    _check_decider(actor, request)
    before = _snapshot(request)
    _settle(actor, request, RequestStatus.DECLINED, reason)
    record(
        actor,
        "access_request.decline",
        request,
        f"Declined the request of {request.user.display_name}: {reason}",
        site=request.site,
        before=before,
        after={**_snapshot(request), "reason": reason},
    )
    _email_decision(request, approved=False)


def _email_decision(request: AccessRequest, approved: bool) -> None:
    """Email the person the decision (they may hold no site yet: mail directly)."""
    site = request.site
    url = (
        external_url("sites.home", jurisdiction=site.jurisdiction.code, kind=site.kind)
        if approved
        else external_url("access_requests.mine")
    )
    send_mail(
        [request.user.email],
        f"Your access request was {request.status.label.lower()}",
        "access_decision",
        site_name=site.label,
        asked=request,
        approved=approved,
        roles=roles_text(request.roles),
        url=url,
    )


def withdraw_on_departure(actor: User, user: User, sites: list[Site]) -> int:
    """Withdraw the person's pending requests to ``sites`` (a departure); return how many."""
    pending = queries.pending_of(user, [site.id for site in sites])
    summary = f"Withdrew the request of {user.display_name}: they left"
    for request in pending:
        _withdraw(actor, request, summary, "The person left.")
    return len(pending)


def replace_region(region: Region) -> None:
    """Let each request naming ``region`` (about to be removed) name its local sites instead.

    A request keeps meaning what it asked for: the local sites the region held.
    """
    naming = db.session.scalars(
        select(RequestedPlace).where(RequestedPlace.region_id == region.id)
    ).all()
    for place in naming:
        asked = place.request
        named = {other.local_site_id for other in asked.places}
        for local in region.local_sites:
            if local.id not in named:
                asked.places.append(RequestedPlace(local_site=local))
        asked.places.remove(place)
    db.session.flush()
