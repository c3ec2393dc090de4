"""``flask jurisdictions ...``: create jurisdictions from the command line."""

import click
from flask.cli import with_appcontext

from review_app.core.unit import command_unit
from review_app.sites import operations


@click.group()
def jurisdictions():
    """Manage jurisdictions and their sites."""


@jurisdictions.command("add")
@click.argument("code")
@click.argument("name")
@with_appcontext
def add_jurisdiction(code, name):
    """Create jurisdiction CODE named NAME with its Training, CQI and CFSR sites."""
    with command_unit():
        jurisdiction = operations.create_jurisdiction(None, code, name)
    click.echo(
        f"Created {jurisdiction.name}: /{jurisdiction.code}/training/, "
        f"/{jurisdiction.code}/cqi/, /{jurisdiction.code}/cfsr/"
    )
