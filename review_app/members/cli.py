"""``flask users ...``: create accounts, with roles on sites, from the command line."""

import click
from flask.cli import with_appcontext

from review_app.accounts import operations
from review_app.accounts.passwords import generate_password
from review_app.core.roles import ROLE_CODES, RoleSet
from review_app.core.unit import command_unit
from review_app.members import operations as members
from review_app.sites.queries import site_by_slug


@click.group()
def users():
    """Manage user accounts."""


@users.command("add")
@click.argument("username")
@click.option("--password", help="Initial password; a random one is printed when left out.")
@click.option("--name", "display_name", default="", help="Full name (default: the username).")
@click.option("--email", default="")
@click.option(
    "--system-admin", is_flag=True, help="May create jurisdictions and name their admins."
)
@click.option(
    "--site",
    "sites",
    multiple=True,
    metavar="CODE/KIND",
    help="A site to give roles on, e.g. demo/cqi. Repeatable.",
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLE_CODES),
    help="A role given on every --site. Repeatable.",
)
@with_appcontext
def add_user(username, password, display_name, email, system_admin, sites, roles):
    """Create an account, optionally with roles on sites."""
    if bool(sites) != bool(roles):
        raise click.UsageError("--site and --role go together: name at least one of each.")
    targets = []
    for slug in sites:
        code, _, kind = slug.partition("/")
        site = site_by_slug(code.lower(), kind.lower())
        if site is None:
            raise click.BadParameter(
                f"no site {slug!r}; use CODE/KIND such as demo/cqi", param_hint="--site"
            )
        targets.append(site)
    generated = password is None
    password = password or generate_password()
    try:
        with command_unit():
            role_set = RoleSet.from_codes(list(roles))
            user = operations.create_user(
                None,
                username,
                display_name,
                password,
                email=email,
                is_system_admin=system_admin,
                must_change_password=generated,
            )
            for site in targets:
                members.grant_access(None, site, user, role_set)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Created {user.username}"
        + (
            f" with {', '.join(role_set.codes)} on {', '.join(s.slug for s in targets)}"
            if targets
            else ""
        )
    )
    if generated:
        click.echo(f"Temporary password (to be changed at first sign-in): {password}")
