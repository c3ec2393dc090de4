"""A jurisdiction's rows as a zip of CSV files, one per table, with a manifest; and its check.

The zip holds ``<table>.csv`` for every table with rows of the jurisdiction
(see ``schema``), the users its rows name (without password hashes), and
``manifest.json``: jurisdiction, created_at, schema revision and, per file,
the table, its row count and the SHA-256 of the file.
"""

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection

from review_app.backup.revisions import database_revision
from review_app.backup.schema import SECRET_COLUMNS, JurisdictionRows
from review_app.backup.tables import write_rows
from review_app.core.models import utcnow
from review_app.extensions import db
from review_app.sites.models import Jurisdiction

FORMAT = "review-app jurisdiction export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class ExportError(Exception):
    """An export file is unreadable, incomplete or of another jurisdiction."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def snapshot_connection() -> Connection:
    """Open a connection that reads every table as of one moment (one transaction)."""
    connection = db.engine.connect()
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="REPEATABLE READ")
    else:
        # The SQLite driver starts no transaction for reads; without one each
        # SELECT would see its own moment.
        connection.exec_driver_sql("BEGIN")
    return connection


def write_export(jurisdiction: Jurisdiction, target: IO[bytes]) -> dict[str, Any]:
    """Write the jurisdiction's export zip to ``target``; return its manifest."""
    walk = JurisdictionRows(db.metadata, jurisdiction.id)
    files = []
    with (
        snapshot_connection() as connection,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        revision = database_revision(connection)
        tables = [(table, walk.condition(table), True) for table in walk.owned]
        tables += [
            (db.metadata.tables[name], condition, False)
            for name, condition in walk.referenced_globals().items()
        ]
        for table, condition, removed in tables:
            name = f"{table.name}.csv"
            with archive.open(name, "w", force_zip64=True) as member:
                rows, sha256 = write_rows(connection, table, condition, member.write)
            files.append(
                {
                    "file": name,
                    "table": table.name,
                    "rows": rows,
                    "sha256": sha256,
                    "removed_with_jurisdiction": removed,
                    "omitted_columns": sorted(SECRET_COLUMNS.get(table.name, ())),
                }
            )
        connection.rollback()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "jurisdiction": {
                "id": jurisdiction.id,
                "code": jurisdiction.code,
                "name": jurisdiction.name,
            },
            "created_at": utcnow().isoformat() + "Z",
            "schema_revision": revision,
            "cells": "UTF-8 CSV; text is always quoted, an empty unquoted cell is NULL",
            "files": files,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return manifest


@dataclass
class CheckedExport:
    manifest: dict[str, Any]
    sha256: str  # of the whole zip file


def read_export(path: Path) -> CheckedExport:
    """Read an export and check every file against its manifest; raise ExportError if not."""
    try:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(path, archive)
            for entry in manifest["files"]:
                _check_member(path, archive, entry)
    except ExportError:
        raise
    except FileNotFoundError:
        raise ExportError(f"{path}: there is no such file.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise ExportError(
            f"{path} is not a complete export (the zip is damaged or cut short: {error})."
        ) from None
    except OSError as error:
        raise ExportError(f"{path} could not be read: {error.strerror or error}.") from None
    return CheckedExport(manifest, digest.hexdigest())


def _manifest(path: Path, archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise ExportError(f"{path} has no {MANIFEST}: it is not a jurisdiction export.") from None
    except (ValueError, UnicodeDecodeError):
        raise ExportError(f"{path}: its {MANIFEST} is not valid JSON.") from None
    valid = (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and isinstance(manifest.get("jurisdiction"), dict)
        and isinstance(manifest.get("files"), list)
        and all(
            isinstance(entry, dict)
            and isinstance(entry.get("file"), str)
            and isinstance(entry.get("table"), str)
            and isinstance(entry.get("rows"), int)
            and isinstance(entry.get("sha256"), str)
            for entry in manifest["files"]
        )
    )
    if not valid:
        raise ExportError(f"{path}: its {MANIFEST} is not that of a jurisdiction export.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ExportError(
            f"{path} is an export of format version {manifest.get('format_version')}; "
            f"this version of the application reads version {FORMAT_VERSION}."
        )
    return manifest


def _check_member(path: Path, archive: zipfile.ZipFile, entry: dict[str, Any]) -> None:
    name = entry["file"]
    try:
        stream = archive.open(name)
    except KeyError:
        raise ExportError(f"{path}: {name} is named in the manifest but missing.") from None
    digest = hashlib.sha256()
    with stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != entry["sha256"]:
        raise ExportError(
            f"{path}: {name} does not match its SHA-256 in the manifest (it was changed or "
            "damaged)."
        )
