"""``flask notices daily``: run today's reminders and digests now, as the scheduler would."""

import click
from flask.cli import with_appcontext

from review_app.core.unit import command_unit
from review_app.notices.daily import run_daily


@click.group()
def notices():
    """Notifications: the daily reminders and digests."""


@notices.command("daily")
@with_appcontext
def daily():
    """Write today's reminders and email the digests (once a day: a second run does nothing)."""
    with command_unit():
        ran = run_daily()
    click.echo(
        "Reminders written and digests sent."
        if ran
        else "Today's run was done already; nothing was sent again."
    )
