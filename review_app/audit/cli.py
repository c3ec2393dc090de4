"""``flask audit verify``: recompute the audit log's hash chains and name the first break."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from review_app.audit.chain import NO_SITE
from review_app.audit.models import AuditEntry
from review_app.audit.queries import verify_chain
from review_app.extensions import db


@click.group()
def audit():
    """Check the audit log."""


def _chain_names() -> dict[int, str]:
    site_model = AuditEntry.site.property.mapper.class_  # the model the entry names
    sites = db.session.scalars(select(site_model))
    names = {site.id: f"{site.slug} ({site.label})" for site in sites}
    names[NO_SITE] = "outside any site"
    return names


@audit.command("verify")
@click.option("--heads", is_flag=True, help="Also print each chain's last hash, to note elsewhere.")
@with_appcontext
def verify(heads):
    """Recompute every entry's hash; exit with status 1 and name the first broken entry."""
    report = verify_chain()
    names = _chain_names()
    if report.is_intact:
        click.echo(
            f"The audit log is intact: {report.entries} entries in {report.chains} chain"
            f"{'' if report.chains == 1 else 's'}."
        )
        if heads:
            for key, last in sorted(report.heads.items()):
                click.echo(f"  {names.get(key, f'chain {key}')}: {last}")
        return
    first = report.first_broken
    assert first is not None  # not intact: some entry is broken
    click.echo(f"The audit log is BROKEN. First broken entry: {first.describe()}", err=True)
    for broken in sorted(report.broken, key=lambda b: b.chain_key):
        click.echo(
            f"  {names.get(broken.chain_key, f'chain {broken.chain_key}')}: {broken.describe()}",
            err=True,
        )
    click.get_current_context().exit(1)
