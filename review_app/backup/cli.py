"""``flask backup ...`` and ``flask jurisdictions export|remove``."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from review_app.backup import operations
from review_app.backup.dumps import BackupError, create_backup, restore_backup
from review_app.backup.export import ExportError
from review_app.core.unit import command_unit
from review_app.extensions import db
from review_app.sites.queries import jurisdiction_by_code

FILE = click.Path(dir_okay=False, path_type=Path)


@click.group()
def backup():
    """Back up and restore the whole database."""


@backup.command("create")
@click.argument("file", type=FILE)
@with_appcontext
def create(file: Path):
    """Write a backup of the database to FILE (pg_dump -Fc, or SQLite's online backup)."""
    try:
        revision = create_backup(file)
    except BackupError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Wrote {file} ({file.stat().st_size:,} bytes, schema revision {revision}).")


@backup.command("restore")
@click.argument("file", type=FILE)
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore(file: Path, force: bool):
    """Replace the database's content with the backup FILE."""
    try:
        restored = restore_backup(file, force=force)
    except BackupError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Restored {file} (schema revision {restored.revision}).")
    if restored.needs_upgrade:
        click.echo(
            f"The backup's schema revision is older than this version of the application's "
            f"({restored.code_revision}): run 'flask db upgrade' now, before serving it."
        )


def _jurisdiction(code: str):
    found = jurisdiction_by_code(code.strip().lower())
    if found is None:
        raise click.ClickException(f"There is no jurisdiction with the code {code!r}.")
    return found


@click.command("export")
@click.argument("code")
@click.argument("file", type=FILE)
@with_appcontext
def export_jurisdiction(code: str, file: Path):
    """Write every row of jurisdiction CODE to FILE, a zip of CSV files with a manifest."""
    jurisdiction = _jurisdiction(code)
    if file.exists():
        raise click.ClickException(f"{file} already exists; choose a new file name.")
    partial = file.with_name(file.name + ".partial")
    try:
        with command_unit(), partial.open("wb") as target:
            manifest = operations.export_jurisdiction(None, jurisdiction, target)
        partial.replace(file)
    except OSError as error:
        raise click.ClickException(f"{file} could not be written: {error.strerror}.") from None
    finally:
        partial.unlink(missing_ok=True)
    rows = sum(entry["rows"] for entry in manifest["files"])
    click.echo(f"Wrote {file}: {rows:,} rows in {len(manifest['files'])} tables.")


@click.command("remove")
@click.argument("code")
@click.option(
    "--export-file",
    type=FILE,
    required=True,
    help="A complete export of the jurisdiction, made with 'flask jurisdictions export'.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def remove_jurisdiction(code: str, export_file: Path, yes: bool):
    """Remove jurisdiction CODE and every row of it, after checking its export."""
    jurisdiction = _jurisdiction(code)
    if not yes:
        click.confirm(
            f"Remove {jurisdiction.name} ({jurisdiction.code}) and all of its data for good?",
            abort=True,
        )
    db.session.rollback()  # the removal runs in a transaction of its own
    try:
        removed = operations.remove_jurisdiction(None, jurisdiction, export_file)
    except ExportError as error:
        db.session.rollback()
        raise click.ClickException(error.message + " Nothing was removed.") from None
    except DBAPIError as error:
        # Another request wrote to the jurisdiction while it was removed (a
        # serialization failure, or a new row that still points at a removed one).
        db.session.rollback()
        raise click.ClickException(
            "The jurisdiction changed while it was being removed "
            f"({type(error.orig).__name__}). Nothing was removed; make a new export."
        ) from None
    db.session.commit()
    click.echo(
        f"Removed {jurisdiction.code}: {sum(removed.values()):,} rows in {len(removed)} tables."
    )


jurisdiction_commands = (export_jurisdiction, remove_jurisdiction)
