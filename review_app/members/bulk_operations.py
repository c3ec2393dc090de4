"""Create many checked accounts with their access to a site, in a few statements.

Accounts made one at a time sent six statements each and hashed each temporary
password with scrypt (about 135 ms here): 5,000 people took over ten minutes. New
accounts are now invited by email and have no password to hash.
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.accounts.operations import check_email, user_snapshot
from review_app.accounts.passwords import hash_password
from review_app.audit.operations import record
from review_app.core.bulk import insert_rows
from review_app.core.roles import roles_text
from review_app.extensions import db
from review_app.members.importing import ImportRow
from review_app.members.models import Membership, ScopeEntry
from review_app.sites.models import Site


class ImportOutcome(StrEnum):
    """What an import did for one row, in words for the result page."""

    GRANTED = "Existing account: given access"
    PASSWORD_FROM_FILE = "Added with the password from the file"
    INVITED = "Added and invited by email"
    NO_EMAIL = "Added; no email address: add one on their page, then send the invitation"


@dataclass
class ImportResult:
    username: str
    outcome: ImportOutcome


def create_members(actor: User | None, site: Site, rows: list[ImportRow]) -> None:
    """Create an account per row with the row's roles on the site.

    The rows are checked already (usernames free, roles allowed). A row with a
    password gets it, to be changed at first sign-in; one without is an invited
    account, whose owner sets a password from an emailed link.
    """
    if not rows:
        return
    insert_rows(
        User,
        [
            {
                "username": row.username,
                "display_name": (row.display_name.strip() or row.username)[:120],
                "email": check_email(row.email)[:254],
                "password_hash": hash_password(row.password) if row.password else "",
                "is_system_admin": False,
                "must_change_password": bool(row.password),
            }
            for row in rows
        ],
    )
    users = {
        user.username: user
        for user in db.session.scalars(
            select(User).where(User.username.in_([row.username for row in rows]))
        )
    }
    insert_rows(
        Membership,
        [
            {
                "user_id": users[row.username].id,
                "site_id": site.id,
                "is_state_admin": row.roles.is_state_admin,
                "is_reviewer": row.roles.is_reviewer,
                "is_observer": row.roles.is_observer,
                "qa_level": row.roles.qa_level,
                "is_site_leader": row.roles.is_site_leader,
                "is_limited": row.places is not None,
                "is_active": True,
            }
            for row in rows
        ],
    )
    memberships = {
        membership.user_id: membership
        for membership in db.session.scalars(
            select(Membership).where(
                Membership.site_id == site.id,
                Membership.user_id.in_([user.id for user in users.values()]),
            )
        )
    }
    _add_scopes(
        actor, site, rows, {row.username: memberships[users[row.username].id] for row in rows}
    )
    for row in rows:
        user = users[row.username]
        membership = memberships[user.id]
        record(
            actor,
            "user.create",
            user,
            f"Created user {user.display_name}",
            site=site,
            after=user_snapshot(user),
        )
        record(
            actor,
            "membership.grant",
            membership,
            f"Gave {user.display_name} access: {roles_text(row.roles)}",
            site=site,
            after={"roles": row.roles.codes, "is_active": True},
        )


def _add_scopes(
    actor: User | None, site: Site, rows: list[ImportRow], memberships: dict[str, Membership]
) -> None:
    """Insert the scope entries of the rows limited to regions or local sites, and audit them."""
    limited = [row for row in rows if row.places is not None]
    insert_rows(
        ScopeEntry,
        [
            {
                "membership_id": memberships[row.username].id,
                "region_id": r.id,
                "local_site_id": None,
            }
            for row in limited
            for r in (row.places or ([], []))[0]
        ]
        + [
            {
                "membership_id": memberships[row.username].id,
                "region_id": None,
                "local_site_id": s.id,
            }
            for row in limited
            for s in (row.places or ([], []))[1]
        ],
    )
    for row in limited:
        regions, local_sites = row.places or ([], [])
        names = ", ".join([r.name for r in regions] + [s.name for s in local_sites])
        record(
            actor,
            "membership.scope",
            memberships[row.username],
            f"Access of {row.display_name.strip() or row.username}: {names}",
            site=site,
            before=None,
            after={
                "is_limited": True,
                "regions": sorted(r.code for r in regions),
                "local_sites": sorted(s.code for s in local_sites),
            },
        )
