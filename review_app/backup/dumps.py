"""Back up and restore the whole database.

PostgreSQL: a custom-format dump made by ``pg_dump -Fc`` and read back by
``pg_restore``. SQLite: a copy made with SQLite's online backup API, which is
consistent while the application writes (a file copy of a live database is not).
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, MetaData, func, make_url, select
from sqlalchemy.engine import URL

from review_app.backup.revisions import code_revisions
from review_app.extensions import db

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup could not be made or restored; the message says why, naming the file."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Restored:
    revision: str
    code_revision: str

    @property
    def needs_upgrade(self) -> bool:
        return self.revision != self.code_revision


def create_backup(path: Path) -> str:
    """Write a backup of the database to ``path`` (which must not exist); return its revision."""
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name.")
    partial = path.with_name(path.name + ".partial")
    engine = db.engine
    try:
        if engine.dialect.name == "postgresql":
            _pg_dump(engine.url, partial)
            revision = _pg_dump_revision(partial)
        else:
            _sqlite_backup(_sqlite_path(engine.url), partial)
            revision = _sqlite_file_revision(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return revision


def restore_backup(path: Path, force: bool = False) -> Restored:
    """Replace the database's content with the backup in ``path``.

    Refuses a database that holds rows unless ``force``, and a backup of a schema
    revision this code does not know. The backup is checked whole before anything
    in the database changes.
    """
    engine = db.engine
    postgresql = engine.dialect.name == "postgresql"
    _check_kind(path, postgresql)
    revision = _pg_dump_revision(path) if postgresql else _sqlite_file_revision(path)
    head, known = code_revisions()
    if revision not in known:
        raise BackupError(
            f"{path} holds schema revision {revision}, which this version of the application "
            "does not know (it was made by a newer version). Restore it with that version."
        )
    held = _rows_held(engine)
    if held and not force:
        raise BackupError(
            f"The database already holds data ({held} rows). Restore into an empty database, "
            "or add --force to replace everything in it."
        )
    if postgresql:
        _drop_everything(engine)
        engine.dispose()
        _pg_restore(engine.url, path)
    else:
        engine.dispose()
        _sqlite_restore(path, _sqlite_path(engine.url))
    engine.dispose()
    return Restored(revision, head)


def _rows_held(engine: Engine) -> int:
    """Count the rows of every table but alembic_version."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return sum(
            connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
            if table.name != "alembic_version"
        )


def _drop_everything(engine: Engine) -> None:
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)


def _check_kind(path: Path, postgresql: bool) -> None:
    try:
        with path.open("rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"{path}: there is no such file.") from None
    except OSError as error:
        raise BackupError(f"{path} could not be read: {error.strerror or error}.") from None
    if head.startswith(PG_MAGIC) and not postgresql:
        raise BackupError(f"{path} is a PostgreSQL backup; this database is SQLite.")
    if head == SQLITE_MAGIC and postgresql:
        raise BackupError(f"{path} is a SQLite backup; this database is PostgreSQL.")
    if not head.startswith(PG_MAGIC) and head != SQLITE_MAGIC:
        raise BackupError(f"{path} is not a backup made by 'flask backup create'.")


def _no_revision(path: Path) -> BackupError:
    return BackupError(f"{path} holds no schema revision: it is not a backup of this application.")


# PostgreSQL ---------------------------------------------------------------


def pg_program(name: str) -> str:
    """Return the newest installed ``name`` (pg_dump, pg_restore); raise when there is none."""
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed. Install the PostgreSQL client programs of the "
            "server's version or newer (Debian: postgresql-client)."
        )
    return found


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """Return a libpq connection string without the password, and an environment with it."""
    url = make_url(url)
    parts = {
        "host": url.host,
        "port": str(url.port) if url.port else None,
        "user": url.username,
        "dbname": url.database,
        **{key: str(value) for key, value in url.query.items()},
    }
    conninfo = " ".join(f"{key}={_quote(value)}" for key, value in parts.items() if value)
    environment = dict(os.environ)
    if url.password:
        # Not on the command line, where other users of the machine could read it.
        environment["PGPASSWORD"] = url.password
    return conninfo, environment


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _run(path: Path, command: list[str], environment: dict | None = None, what: str = "") -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=environment)
    except OSError as error:
        raise BackupError(f"{command[0]} could not be run: {error.strerror or error}.") from None
    if done.returncode != 0:
        detail = " ".join(line.strip() for line in done.stderr.strip().splitlines()[-3:])
        raise BackupError(f"{path}: {what} failed: {detail or 'no message'}")
    return done.stdout


def _pg_dump(url: URL, path: Path) -> None:
    conninfo, environment = _libpq(url)
    _run(
        path,
        [
            pg_program("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={path}",
            f"--dbname={conninfo}",
        ],
        environment,
        "the PostgreSQL backup (pg_dump)",
    )


def _pg_dump_revision(path: Path) -> str:
    """Read the whole dump (which finds a damaged or cut one) and return its schema revision."""
    program = pg_program("pg_restore")
    what = "reading the backup (pg_restore)"
    _run(path, [program, "--file=/dev/null", str(path)], what=what)
    script = _run(
        path,
        [program, "--data-only", "--table=alembic_version", "--file=-", str(path)],
        what=what,
    )
    lines = script.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and index + 1 < len(lines):
            revision = lines[index + 1].strip()
            if revision and revision != "\\.":
                return revision
    raise _no_revision(path)


def _pg_restore(url: URL, path: Path) -> None:
    conninfo, environment = _libpq(url)
    _run(
        path,
        [
            pg_program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(path),
        ],
        environment,
        "restoring (pg_restore)",
    )


# SQLite -------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("The database is an in-memory SQLite database: there is nothing to keep.")
    return Path(database)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(f"The database file {source} does not exist.")
    _sqlite_copy(source, target, f"{target}: the SQLite backup failed")


def _sqlite_copy(source: Path, target: Path, failure: str) -> None:
    """Copy a SQLite database with its online backup API (safe while others write)."""
    try:
        reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)
        finally:
            writer.close()
            reader.close()
    except sqlite3.Error as error:
        raise BackupError(f"{failure}: {error}.") from None


def _sqlite_file_revision(path: Path) -> str:
    """Check the whole backup file and return its schema revision."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(
                    f"{path} is damaged (SQLite's integrity check: {'; '.join(problems[:3])})."
                )
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            raise _no_revision(path) from None
        raise BackupError(f"{path} could not be read as a SQLite backup: {error}.") from None
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is damaged or cut short ({error}).") from None
    if row is None:
        raise _no_revision(path)
    return row[0]


def _sqlite_restore(source: Path, target: Path) -> None:
    _sqlite_copy(source, target, f"{source}: restoring into {target} failed")
