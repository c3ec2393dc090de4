"""Export a jurisdiction's rows, and remove a jurisdiction after a complete export of it."""

from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, delete, select

from review_app.accounts.models import User
from review_app.accounts.operations import set_account_active
from review_app.audit.operations import record
from review_app.backup.export import ExportError, read_export, write_export
from review_app.backup.revisions import database_revision
from review_app.backup.schema import JurisdictionRows
from review_app.backup.tables import write_rows
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.sites.models import Jurisdiction, Site


def export_jurisdiction(actor: User | None, jurisdiction: Jurisdiction, target: IO[bytes]) -> dict:
    """Write every row of the jurisdiction to ``target`` as a zip; audit it; return the manifest.

    The entry is site-less: it is the system administration's record, and so it
    is not itself part of the rows the export holds.
    """
    manifest = write_export(jurisdiction, target)
    record(
        actor,
        "jurisdiction.export",
        jurisdiction,
        f"Exported every row of jurisdiction {jurisdiction.code}",
        after={"rows": _row_counts(manifest), "created_at": manifest["created_at"]},
    )
    return manifest


def _row_counts(manifest: dict[str, Any]) -> list[str]:
    return [f"{entry['table']}: {entry['rows']}" for entry in manifest["files"]]


def remove_jurisdiction(actor: User | None, jurisdiction: Jurisdiction, export: Path) -> dict:
    """Delete every row of the jurisdiction, children first, after checking ``export``.

    Refused (ExportError) unless ``export`` is an intact export of this
    jurisdiction that holds every one of its rows as they are now. Accounts that
    held a role there and hold none anywhere afterwards are deactivated, not
    deleted: audit entries elsewhere may name them. Return rows removed per table.

    Call it with no transaction open: it begins its own, in which a row another
    request changes after the check makes the removal fail (PostgreSQL: repeatable
    read; SQLite: the write lock taken first). The caller commits; on any error
    it rolls back and nothing is removed.
    """
    checked = read_export(export)
    connection = _begin_removal()
    manifest = checked.manifest
    if manifest["jurisdiction"].get("code") != jurisdiction.code:
        raise ExportError(
            f"{export} is an export of {manifest['jurisdiction'].get('code')!r}, "
            f"not of {jurisdiction.code!r}."
        )
    walk = JurisdictionRows(db.metadata, jurisdiction.id)
    revision = database_revision(connection)
    if manifest.get("schema_revision") != revision:
        raise ExportError(
            f"{export} was made at schema revision {manifest.get('schema_revision')}; the "
            f"database is at {revision} now. Make a new export."
        )
    entries = {entry["table"]: entry for entry in manifest["files"]}
    for table in walk.owned:
        entry = entries.get(table.name)
        if entry is None:
            raise ExportError(f"{export} holds no file for the table {table.name}.")
        rows, sha256 = write_rows(connection, table, walk.condition(table), lambda _data: None)
        if sha256 != entry["sha256"]:
            raise ExportError(
                f"The jurisdiction changed after {export} was made ({table.name}: "
                f"{entry['rows']} rows in the export, {rows} now). Make a new export."
            )
    members = set(
        db.session.scalars(
            select(Membership.user_id)
            .join(Site, Membership.site_id == Site.id)
            .where(Site.jurisdiction_id == jurisdiction.id)
        )
    )
    # Its row goes below the ORM's back: keep the object, detached, for the audit entry.
    db.session.expunge(jurisdiction)
    removed = {}
    for table in reversed(walk.owned):
        result = connection.execute(delete(table).where(walk.condition(table)))
        if result.rowcount != entries[table.name]["rows"]:
            # Written between the check and the delete: refuse rather than lose it.
            raise ExportError(
                f"The jurisdiction changed while it was being removed ({table.name}). "
                "Make a new export."
            )
        removed[table.name] = result.rowcount
    deactivated = _deactivate_left_without_role(actor, members)
    record(
        actor,
        "jurisdiction.remove",
        jurisdiction,
        f"Removed jurisdiction {jurisdiction.code} ({jurisdiction.name}) and its "
        f"{sum(removed.values())} rows, exported to {export.name}",
        before={
            "code": jurisdiction.code,
            "name": jurisdiction.name,
            "rows": [f"{name}: {count}" for name, count in removed.items()],
            "export_file": export.name,
            "export_sha256": checked.sha256,
            "export_created_at": manifest["created_at"],
            "deactivated": deactivated,
        },
    )
    return removed


def _begin_removal() -> Connection:
    if db.session().in_transaction():
        raise RuntimeError("remove_jurisdiction needs a transaction of its own")
    if db.engine.dialect.name == "postgresql":
        return db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    connection = db.session.connection()
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    return connection


def _deactivate_left_without_role(actor: User | None, user_ids: set[int]) -> list[str]:
    """Deactivate the accounts among ``user_ids`` that hold no membership anywhere now."""
    if not user_ids:
        return []
    still_members = select(Membership.user_id).where(Membership.user_id.in_(user_ids))
    users = db.session.scalars(
        select(User)
        .where(
            User.id.in_(user_ids),
            User.id.not_in(still_members),
            User.is_active,
            ~User.is_system_admin,
        )
        .order_by(User.username)
    ).all()
    for user in users:
        set_account_active(actor, user, False)
    return [user.username for user in users]
