"""People imported from a CSV into a site: everyone or nobody (run by import_job.py)."""

from collections.abc import Callable

from sqlalchemy import select

from review_app.accounts import link_operations as links
from review_app.accounts import operations as accounts
from review_app.accounts.models import User
from review_app.core.errors import OperationError
from review_app.core.scope import actor_scope
from review_app.extensions import db
from review_app.members import importing
from review_app.members.bulk_operations import ImportOutcome, ImportResult, create_members
from review_app.members.models import Membership
from review_app.members.operations import grant_access
from review_app.members.queries import known_in_jurisdiction
from review_app.members.signals import qualification
from review_app.sites import queries as site_queries
from review_app.sites.models import Site


def import_members(
    actor: User,
    site: Site,
    data: bytes,
    filename: str = "people.csv",
    rows_read: Callable[[int], None] | None = None,
    rows_checked: Callable[[int], None] | None = None,
) -> tuple[list[ImportResult], list[str]]:
    """Add every person in a CSV to the site, or nobody when any row is bad.

    New accounts without a password in the file are invited by email. Return what
    happened to each row and the list of bad rows (empty on success). Run by the
    import job (members/import_job.py); ``rows_read`` is told how many rows there are,
    ``rows_checked`` how many more were checked, every CHECKED_STEP rows and at the end.
    """
    rows, faults = importing.read_file(filename, data)
    if faults:
        return [], faults
    if rows_read is not None:
        rows_read(len(rows))
    errors: list[str] = []
    usernames = [importing.normalise_username(row["username"]) for row in rows]
    found_users = {
        u.username: u for u in db.session.scalars(select(User).where(User.username.in_(usernames)))
    }
    # Accounts without a role in this jurisdiction are as unknown here as on the grant form.
    reachable = (
        {u.id for u in found_users.values()}
        if accounts.acts_as_system(actor)
        else known_in_jurisdiction(site.jurisdiction_id, [u.id for u in found_users.values()])
    )
    existing = {name: u for name, u in found_users.items() if u.id in reachable}
    members = set(
        db.session.scalars(
            select(Membership.user_id).where(Membership.site_id == site.id, Membership.is_active)
        )
    )
    checked = []
    seen: set[str] = set()
    scope = importing.ScopeReader(
        site_queries.regions(site),
        site_queries.local_sites(site),
        actor_scope(actor, site),
    )
    for count, raw in enumerate(rows, start=1):
        row, row_errors = importing.check_row(
            raw, seen, existing, members, site.settings.qa_levels, scope
        )
        errors.extend(row_errors)
        if row:
            checked.append(row)
        errors.extend(_refusals(actor, raw, found_users, existing))
        if rows_checked is not None and count % importing.CHECKED_STEP == 0:
            rows_checked(importing.CHECKED_STEP)
    if rows_checked is not None and len(rows) % importing.CHECKED_STEP:
        rows_checked(len(rows) % importing.CHECKED_STEP)
    found = qualification(site, [row.existing.id for row in checked if row.existing])
    for row in checked:
        if (
            found
            and row.roles.is_reviewer
            and not found.is_qualified(row.existing and row.existing.id)
        ):
            errors.append(f"Line {row.line}: roles: {found.refusal(row.existing)}")
    chosen = [row for row in checked if row.password and row.existing is None]
    for row in chosen[importing.MAX_CHOSEN_PASSWORDS :]:
        errors.append(
            f"Line {row.line}: password: one file may set at most "
            f"{importing.MAX_CHOSEN_PASSWORDS} chosen passwords (each takes a moment to "
            "protect); leave the column blank for a temporary password, or use several files."
        )
    errors.sort(key=lambda message: int(message.split(":")[0].removeprefix("Line ")))
    if errors:
        return [], errors
    # Existing accounts are granted access one by one (the grant's own checks apply);
    # new accounts, usually nearly all rows, are created together.
    for row in checked:
        if row.existing is not None:
            grant_access(actor, site, row.existing, row.roles, row.places)
    created = [row for row in checked if row.existing is None]
    create_members(actor, site, created)
    to_invite = list(
        db.session.scalars(
            select(User).where(
                User.username.in_([row.username for row in created if not row.password])
            )
        )
    )
    emailed = links.send_invitations(actor, to_invite, site)
    invited = {user.username: user.id in emailed for user in to_invite}
    return [
        ImportResult(
            row.username,
            ImportOutcome.GRANTED
            if row.existing is not None
            else ImportOutcome.PASSWORD_FROM_FILE
            if row.password
            else ImportOutcome.INVITED
            if invited[row.username]
            else ImportOutcome.NO_EMAIL,
        )
        for row in checked
    ], []


def _refusals(actor: User, raw: dict, found: dict[str, User], existing: dict[str, User]) -> list:
    """Return the row's refusals for a taken username or an account only a system admin revives."""
    username = importing.normalise_username(raw["username"])
    line = raw["_line"]
    if username in found and username not in existing:
        return [f"Line {line}: username: {accounts.taken_message(username)}"]
    user = existing.get(username)
    if user is not None and not user.is_active:
        try:
            accounts.check_may_reactivate(actor, user)
        except OperationError as error:
            return [f"Line {line}: username: {error.message}"]
    return []
