"""Schema revisions: the database's, and the ones this version of the code knows."""

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Connection, inspect, text


def database_revision(connection: Connection) -> str | None:
    """Return the database's Alembic revision, or None when it has none."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def code_revisions() -> tuple[str, set[str]]:
    """Return this code's newest revision and every revision it knows."""
    config = current_app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    heads = script.get_heads()
    return ",".join(sorted(heads)), {revision.revision for revision in script.walk_revisions()}
