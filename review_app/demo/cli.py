"""``flask seed-demo``: the demo jurisdiction for a first look."""

import time

import click
from flask.cli import with_appcontext

from review_app.core.unit import command_unit
from review_app.demo import operations


@click.command("seed-demo")
@click.option(
    "--password",
    default=operations.DEFAULT_PASSWORD,
    show_default=True,
    help="Password of every demo user.",
)
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the demo exists.")
@click.option(
    "--small",
    is_flag=True,
    help="Leave out the finalized cases that fill the reports (seeds in seconds).",
)
@with_appcontext
def seed_demo(password, if_empty, small):
    """Create jurisdiction 'demo' with its sites, people, local sites and periods."""
    if if_empty and operations.is_seeded():
        click.echo(
            "Demo data (or one of its usernames) is already there; nothing was changed. "
            "The demo users are admin, reviewer, reviewer2, qa, qa2, observer, sysadmin."
        )
        return
    if not small:
        volume = sum(operations.REPORT_VOLUME.values())
        volume += operations.HISTORY_PER_QUARTER * operations.QUARTERS
        click.echo(f"Seeding the demo with {volume} finalized cases; this takes about 15 seconds.")
    started = time.perf_counter()
    with command_unit():
        created = operations.seed_demo(
            password, report_volume={} if small else None, progress=_echo
        )
    _echo(f"saved ({time.perf_counter() - started:.1f} s)")
    click.echo("Demo ready. Every user's password is: " + password)
    for username, roles in created:
        click.echo(f"  {username:<10} {roles}")


def _echo(line: str) -> None:
    click.echo(f"  {line}")
