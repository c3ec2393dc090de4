"""Departures: a person leaves, and their access to the jurisdiction ends in one step."""

from dataclasses import dataclass

from sqlalchemy import select

from review_app.accounts import operations as accounts
from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.mail.operations import send_mail
from review_app.members.models import Membership
from review_app.members.operations import remove_access
from review_app.members.scope_queries import reaches_all_of
from review_app.members.signals import departed
from review_app.sites.models import Site


@dataclass(frozen=True)
class Departure:
    """What a departure of ``user`` made by ``actor`` ends, and what stays beyond their reach.

    ``ending``: the active memberships on sites of the jurisdiction where the actor is a
    state administrator whose scope contains the person's. ``beyond``: the person's other
    active memberships in the jurisdiction, which only their own administrators can end.
    ``sites``: the sites of the jurisdiction the actor administers.
    """

    user: User
    ending: list[Membership]
    beyond: list[Membership]
    sites: list[Site]


def plan_departure(actor: User, user: User, site: Site) -> Departure:
    """Return what a departure of ``user`` from ``site``'s jurisdiction would end."""
    memberships = list(
        db.session.scalars(
            select(Membership)
            .join(Membership.site)
            .where(
                Membership.user_id == user.id,
                Membership.is_active,
                Site.jurisdiction_id == site.jurisdiction_id,
            )
            .order_by(Membership.site_id)
        )
    )
    administered = list(
        db.session.scalars(
            select(Site)
            .join(Membership, Membership.site_id == Site.id)
            .where(
                Membership.user_id == actor.id,
                Membership.is_active,
                Membership.is_state_admin,
                Site.jurisdiction_id == site.jurisdiction_id,
            )
            .order_by(Site.id)
        )
    )
    ids = {each.id for each in administered}
    ending: list[Membership] = []
    beyond: list[Membership] = []
    for membership in memberships:
        reachable = membership.site_id in ids and reaches_all_of(actor, membership)
        (ending if reachable else beyond).append(membership)
    return Departure(user, ending, beyond, administered)


def depart(actor: User, user: User, site: Site) -> Departure:
    """End every membership of ``user`` the actor may end in the jurisdiction, in one step.

    Each ending is a ``remove_access`` (audited; the site's API tokens of the person are
    revoked; the last state administrator of a site stays), then every sign-in session
    of the person ends, their pending access requests to the actor's sites are withdrawn
    (by the ``departed`` signal's receiver, which also tells the other administrators),
    and the person is emailed. Refused, changing nothing, when the actor is the person.
    """
    if actor.id == user.id:
        raise OperationError(
            "You cannot record your own departure: ask another state administrator."
        )
    departure = plan_departure(actor, user, site)
    for membership in departure.ending:
        remove_access(actor, membership)
    accounts.end_all_sessions(user)
    names = [membership.site.label for membership in departure.ending]
    record(
        actor,
        "membership.depart",
        user,
        f"Departure of {user.display_name}: access removed on "
        f"{', '.join(names) or 'no site (none was active)'}",
        site=site,
        after={"sites": names, "kept": [m.site.label for m in departure.beyond]},
    )
    departed.send(
        user,
        actor=actor,
        site=site,
        sites=departure.sites,
        ended=[membership.site for membership in departure.ending],
    )
    if user.email and departure.ending:
        send_mail(
            [user.email],
            "Your access was removed",
            "departure",
            user=user,
            sites=names,
            jurisdiction=site.jurisdiction.name,
        )
    return departure
