"""``flask tokens create USERNAME --site CODE/KIND``: a token for scripted use."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.core.unit import command_unit
from review_app.extensions import db
from review_app.sites.queries import site_by_slug
from review_app.tokens import operations


@click.group()
def tokens():
    """Manage personal access tokens for the read API."""


@tokens.command("create")
@click.argument("username")
@click.option("--site", "site_slug", required=True, help="The site, as CODE/KIND (demo/cqi).")
@click.option("--name", default="command line", show_default=True, help="What it is for.")
@click.option("--days", default=90, show_default=True, type=int, help="Days until it expires.")
@with_appcontext
def create(username, site_slug, name, days):
    """Make a token for USERNAME on a site and print its secret (shown only once)."""
    code, _, kind = site_slug.partition("/")
    site = site_by_slug(code, kind)
    if site is None:
        raise click.ClickException(f"No site {site_slug!r}: give it as CODE/KIND, e.g. demo/cqi.")
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    with command_unit():
        _, secret = operations.create_token(None, user, site, name, days)
    click.echo(secret)
