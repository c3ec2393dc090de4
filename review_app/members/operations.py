"""Every change to who may work on a site: access, roles, scope, departures."""

from dataclasses import replace

from sqlalchemy import func, select

from review_app.accounts import link_operations as links
from review_app.accounts import operations as accounts
from review_app.accounts.models import User
from review_app.accounts.signals import credentials_withdrawn
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.core.locking import lock_row
from review_app.core.roles import RoleSet, roles_text
from review_app.extensions import db
from review_app.members.identity import membership_scope
from review_app.members.models import Membership
from review_app.members.queries import known_in_jurisdiction
from review_app.members.scope_operations import Places, check_leader_scope, set_scope
from review_app.members.scope_queries import reaches_all_of
from review_app.members.signals import access_removed, qualification
from review_app.sites.models import Site


def _snapshot(membership: Membership) -> dict:
    return {"roles": membership.roles.codes, "is_active": membership.is_active}


def check_roles(site: Site, roles: RoleSet, field: str = "roles") -> None:
    """Refuse an empty role set or a QA level the site does not have."""
    if roles.is_empty:
        raise OperationError("Choose at least one role.", field)
    if roles.qa_level and roles.qa_level > site.settings.qa_levels:
        raise OperationError(
            f"The {site.settings.display_name} site has only one QA level; choose QA level 1.",
            field,
        )


def check_qualified(site: Site, user: User | None, roles: RoleSet, had: bool = False) -> None:
    """Refuse a new reviewer role the site's reviewer qualification does not allow (if set)."""
    if not roles.is_reviewer or had:
        return
    found = qualification(site, [user.id] if user else [])
    if found is not None and not found.is_qualified(user.id if user else None):
        raise OperationError(found.refusal(user), "reviewer")


def _other_active_admins(membership: Membership) -> int:
    # An administrator whose account is deactivated cannot sign in, so does not count;
    # nor does one limited to some local sites, who cannot manage the whole site.
    return db.session.execute(
        select(func.count())
        .select_from(Membership)
        .join(Membership.user)
        .where(
            Membership.site_id == membership.site_id,
            Membership.id != membership.id,
            Membership.is_active,
            Membership.is_state_admin,
            ~Membership.is_limited,
            User.is_active,
        )
    ).scalar_one()


def _keep_an_admin(membership: Membership, still_admin: bool, field: str = "roles") -> None:
    """Refuse to leave the site without a state administrator who reaches all of it.

    ``still_admin``: whether the membership stays an administrator of the whole site.
    """
    losing_admin = (
        membership.is_state_admin
        and not membership.is_limited
        and membership.is_active
        and not still_admin
    )
    if not losing_admin:
        return
    # Two administrators taking each other's role at once would each count the other:
    # the site's row lock makes the second count wait for the first change and see it.
    lock_row(membership.site)
    if not _other_active_admins(membership):
        raise OperationError(
            "This is the site's last state administrator: name another one first (one whose "
            "access reaches the whole site).",
            field,
        )


def membership_of(user: User, site: Site) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.site_id == site.id)
    )


NOT_IN_STATE = (
    "No one with that username works in this state. To give a new person access, "
    "add them as a new user."
)


def check_may_reach(actor: User | None, site: Site, user: User) -> None:
    """Refuse a state administrator an account that holds no role in the site's jurisdiction.

    Accounts are shared by every jurisdiction; a state administrator sees and
    manages only those that hold or held a membership on one of their
    jurisdiction's sites, and learns nothing of the others: the refusal reads
    as for a username that does not exist. System administrators reach all.
    """
    if accounts.acts_as_system(actor):
        return
    if not known_in_jurisdiction(site.jurisdiction_id, [user.id]):
        raise OperationError(NOT_IN_STATE, "username")


def grant_access(
    actor: User | None,
    site: Site,
    user: User,
    roles: RoleSet,
    places: Places | None = None,
    *,
    asked: bool = False,
) -> Membership:
    """Give a user roles on a site they have no active access to.

    ``places`` limits the access to those regions and local sites; without them the
    access reaches the whole site. An inactive account is reactivated, unless a system
    administrator deactivated it and ``actor`` is not one. ``asked``: the person asked
    for this access (an access request), which makes them known to the site's
    administrators although they hold no role in its jurisdiction yet.
    """
    if not asked:
        check_may_reach(actor, site, user)
    return _grant(actor, site, user, roles, places)


def _grant(
    actor: User | None, site: Site, user: User, roles: RoleSet, places: Places | None = None
) -> Membership:
    check_roles(site, roles)
    membership = membership_of(user, site)
    if membership is not None and membership.is_active:
        raise OperationError(
            f"{user.username} already has access to this site; edit their roles instead.",
            "username",
        )
    if not user.is_active:
        accounts.check_may_reactivate(actor, user)
    check_qualified(site, user, roles)
    if membership is None:
        membership = Membership(user=user, site=site)
        db.session.add(membership)
        before = None
    else:
        before = _snapshot(membership)
    membership.roles = roles
    membership.is_active = True
    set_scope(actor, membership, places is not None, *(places or ([], [])))
    if not user.is_active:
        accounts.set_account_active(actor, user, True, site=site)
    record(
        actor,
        "membership.grant",
        membership,
        f"Gave {user.display_name} access: {roles_text(roles)}",
        site=site,
        before=before,
        after=_snapshot(membership),
    )
    return membership


def set_roles(
    actor: User | None, membership: Membership, roles: RoleSet, check_leader: bool = True
) -> None:
    """Change the roles of a member.

    ``check_leader`` False: the caller sets the scope next, and set_scope checks
    that a Site Leader leads local sites (``set_access``).
    """
    check_roles(membership.site, roles)
    check_qualified(membership.site, membership.user, roles, had=membership.is_reviewer)
    _keep_an_admin(membership, roles.is_state_admin)
    if check_leader:
        check_leader_scope(roles, membership.is_limited, membership_scope(membership))
    before = _snapshot(membership)
    membership.roles = roles
    if before != _snapshot(membership):
        record(
            actor,
            "membership.roles",
            membership,
            f"Roles of {membership.user.display_name}: {roles_text(roles)}",
            site=membership.site,
            before=before,
            after=_snapshot(membership),
        )


def set_access(
    actor: User | None, membership: Membership, roles: RoleSet, places: Places | None
) -> None:
    """Change a member's roles and scope together (``places`` None: the whole site).

    One change: refused whole, nothing changed, when either part is refused.
    """
    field = "scope" if roles.is_state_admin else "roles"
    _keep_an_admin(membership, roles.is_state_admin and places is None, field)
    set_roles(actor, membership, roles, check_leader=False)
    set_scope(actor, membership, places is not None, *(places or ([], [])))


def places_of(membership: Membership) -> Places | None:
    """Return the regions and local sites a membership is limited to (None: not limited)."""
    if not membership.is_limited:
        return None
    return (
        [entry.region for entry in membership.scope_entries if entry.region],
        [entry.local_site for entry in membership.scope_entries if entry.local_site],
    )


def _has_other_access(user: User, membership: Membership) -> bool:
    return bool(
        db.session.scalar(
            select(func.count()).where(
                Membership.user_id == user.id, Membership.id != membership.id, Membership.is_active
            )
        )
    )


def remove_access(actor: User | None, membership: Membership) -> None:
    """End a member's access to the site; an account left with no access is deactivated."""
    if not membership.is_active:
        return
    _keep_an_admin(membership, still_admin=False)
    before = _snapshot(membership)
    membership.is_active = False
    user = membership.user
    accounts.end_all_sessions(user)  # their open pages of this site stop working at once
    access_removed.send(membership, actor=actor)
    record(
        actor,
        "membership.remove",
        membership,
        f"Removed the access of {user.display_name}",
        site=membership.site,
        before=before,
        after=_snapshot(membership),
    )
    if not user.is_system_admin and not _has_other_access(user, membership):
        accounts.set_account_active(actor, user, False, site=membership.site)


def restore_access(actor: User | None, membership: Membership) -> None:
    """Give a former member their access back with the roles and the scope they had."""
    grant_access(actor, membership.site, membership.user, membership.roles, places_of(membership))


def create_member(
    actor: User | None,
    site: Site,
    username: str,
    display_name: str,
    email: str,
    roles: RoleSet,
    places: Places | None = None,
) -> User:
    """Create an invited account with roles on the site and email the invitation.

    ``places`` limits the access to those regions and local sites (see grant_access).
    """
    check_roles(site, roles)
    check_qualified(site, None, roles)
    if not email.strip():
        raise OperationError("Give an email address: the invitation is sent there.", "email")
    user = accounts.create_user(actor, username, display_name, None, email=email, site=site)
    _grant(actor, site, user, roles, places)  # an account just made: theirs to reach
    links.send_invitation(actor, user, site)
    return user


def _check_can_receive_link(user: User, membership: Membership) -> None:
    """Refuse a link that would be refused on use: a deactivated account or access, no email."""
    if not user.is_active or not membership.is_active:
        raise OperationError(
            f"{user.display_name}'s access is deactivated: reactivate it first, then send the link."
        )
    if not user.email:
        raise OperationError(
            f"{user.display_name} has no email address: add one first, then send the link.",
            "email",
        )


def resend_invitation(actor: User, membership: Membership) -> None:
    """Email a member who has not set a password yet a new invitation; older links stop."""
    user = membership.user
    _check_manages(actor, user)
    _check_can_receive_link(user, membership)
    if not user.is_invited:
        raise OperationError(
            f"{user.display_name} has set a password already: send a link to choose a new "
            "password instead."
        )
    links.send_invitation(actor, user, membership.site, again=True)


def send_password_link(actor: User, membership: Membership) -> None:
    """Email a member a link to choose a new password; end their sessions and API tokens now.

    Their password stays until they use the link (a click by mistake locks nobody out).
    """
    user = membership.user
    _check_manages(actor, user)
    _check_can_receive_link(user, membership)
    if user.is_invited:
        resend_invitation(actor, membership)
        return
    links.send_reset(user, membership.site.label)
    # As after a suspected compromise: whoever holds a session or a token is out at once.
    accounts.end_all_sessions(user)
    credentials_withdrawn.send(user, actor=actor, reason="password reset")
    record(
        actor,
        "user.reset_link_sent",
        user,
        f"Sent {user.username} a link to choose a new password",
        site=membership.site,
    )


def can_manage_account(actor: User, user: User) -> bool:
    """Tell whether ``actor`` may change ``user``'s account (name, email, password).

    An account is shared by every site the person works on, so a state
    administrator manages it only when all of its access lies on sites they
    administer and within their scope there (an administrator limited to a region
    manages no one who also works beyond it), and never a system administrator's.
    """
    if user.is_system_admin:
        return False
    foreign = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.user_id == user.id, Membership.is_active)
        .where(
            Membership.site_id.not_in(
                select(Membership.site_id).where(
                    Membership.user_id == actor.id, Membership.is_active, Membership.is_state_admin
                )
            )
        )
    )
    if foreign:
        return False
    memberships = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.is_active)
    )
    return all(reaches_all_of(actor, membership) for membership in memberships)


def _check_manages(actor: User, user: User) -> None:
    if not can_manage_account(actor, user):
        raise OperationError(
            f"{user.username} also works on sites or places you do not administer: only their "
            "own administrators or a system administrator can change their account."
        )


def edit_member_account(actor: User, membership: Membership, display_name: str, email: str) -> None:
    """Change a member's name and email, where the actor manages the account."""
    user = membership.user
    if display_name.strip() == user.display_name and email.strip() == user.email:
        return
    _check_manages(actor, user)
    accounts.update_profile(actor, user, display_name, email, site=membership.site)


def name_state_admin(actor: User | None, site: Site, user: User) -> Membership:
    """Make ``user`` a state administrator of ``site``, keeping any roles they hold there."""
    membership = membership_of(user, site)
    if membership is None or not membership.is_active:
        return grant_access(actor, site, user, RoleSet(is_state_admin=True))
    if membership.is_state_admin:
        raise OperationError(
            f"{user.username} is already a state administrator of {site.label}.", "username"
        )
    roles = membership.roles
    set_roles(actor, membership, replace(roles, is_state_admin=True))
    return membership
