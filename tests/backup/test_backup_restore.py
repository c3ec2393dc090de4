"""Backups of the whole database: made, restored into a fresh database, serving the same data."""

import re

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from review_app.accounts.models import User
from review_app.backup import dumps
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.sites.queries import site_by_slug
from review_app.tokens.operations import create_token
from tests.conftest import login, make_app

# Backups read the database on connections of their own: they see committed rows only.
pytestmark = pytest.mark.real_commits


def _all_rows(app) -> dict[str, list]:
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: connection.execute(
                table.select().order_by(*table.primary_key.columns)
            ).fetchall()
            for table in db.metadata.sorted_tables
        }


def _assert_audit_chain_verifies(app, expected_audit_rows: list) -> None:
    """Check the restored audit log: for now, that its rows are exactly the original's.

    AFTER THE AUDIT HASH CHAIN IS MERGED: also call its verify function on ``app``
    here and assert that it reports an intact chain (no first broken entry).
    """
    assert _all_rows(app)["audit_entries"] == expected_audit_rows


@pytest.fixture
def fresh_app(request, app, tmp_path):
    """Make an application on a new, empty database (not migrated)."""
    made = []

    def make(name: str = "review_restore"):
        if app.config["TEST_DATABASE"] == "sqlite":
            url = f"sqlite:///{tmp_path / (name + '.db')}"
        else:
            cluster = request.config.review_cluster
            if cluster is None:
                pytest.skip("a second database needs the throwaway cluster")
            url = cluster.create_database(name)
        made.append(make_app(url))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


def _cli(app):
    runner = app.test_cli_runner()
    return lambda *args, **kw: runner.invoke(args=[str(arg) for arg in args], **kw)


def _token(app) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "qa"))
        _, secret = create_token(None, user, site_by_slug("demo", "cqi"), "backup test")
        db.session.commit()
        return secret


def _pages(app, secret: str) -> dict[str, object]:
    """What a few pages and API answers show, without per-request tokens."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        case_id = db.session.scalar(
            select(Case.id).where(Case.site_id == site.id).order_by(Case.id)
        )
    client = app.test_client()
    login(client, "admin")
    shown: dict[str, object] = {}
    for url in ("/demo/cqi/cases", f"/demo/cqi/cases/{case_id}", "/demo/cqi/admin/users"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        body = re.sub(r'name="csrf_token"[^>]*>', "", body)
        # Signing in to read the pages moves the admin's own last sign-in time.
        shown[url] = re.sub(r'data-label="Last sign-in">[^<]*<', "", body)
    api = app.test_client()
    for url in ("/api/v1/demo/cqi/cases", f"/api/v1/demo/cqi/cases/{case_id}"):
        response = api.get(url, headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200, url
        shown[url] = response.get_json()
    return shown


def test_restored_backup_serves_the_same_data(demo, fresh_app, tmp_path):
    secret = _token(demo)
    pages = _pages(demo, secret)  # signs in and reads: after it, nothing changes
    before = _all_rows(demo)
    backup = tmp_path / "site.backup"

    made = _cli(demo)("backup", "create", backup)
    assert made.exit_code == 0, made.output
    assert f"Wrote {backup}" in made.output

    restored = fresh_app()
    result = _cli(restored)("backup", "restore", backup)
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "db upgrade" not in result.output

    after = _all_rows(restored)
    assert {name: len(rows) for name, rows in after.items()} == {
        name: len(rows) for name, rows in before.items()
    }
    assert after == before
    _assert_audit_chain_verifies(restored, before["audit_entries"])
    assert _pages(restored, secret) == pages


def test_restore_refuses_a_database_with_data_unless_forced(demo, tmp_path):
    run = _cli(demo)
    backup = tmp_path / "site.backup"
    assert run("backup", "create", backup).exit_code == 0
    again = run("backup", "create", backup)
    assert again.exit_code == 1 and "already exists" in again.output

    refused = run("backup", "restore", backup)
    assert refused.exit_code == 1
    assert "already holds data" in refused.output and "--force" in refused.output

    before = _all_rows(demo)
    with demo.app_context():
        db.session.execute(text("DELETE FROM api_tokens"))
        db.session.execute(text("UPDATE users SET display_name = 'Changed'"))
        db.session.commit()
    forced = run("backup", "restore", backup, "--force")
    assert forced.exit_code == 0, forced.output
    assert _all_rows(demo) == before


def test_restore_names_the_file_and_the_fault_of_a_broken_backup(demo, tmp_path):
    run = _cli(demo)
    backup = tmp_path / "site.backup"
    assert run("backup", "create", backup).exit_code == 0
    data = backup.read_bytes()
    cut = tmp_path / "cut.backup"
    cut.write_bytes(data[: len(data) * 2 // 3])
    other_kind = tmp_path / "other.backup"
    if demo.config["TEST_DATABASE"] == "sqlite":
        other_kind.write_bytes(b"PGDMP" + b"\0" * 100)
        wrong_kind = "is a PostgreSQL backup; this database is SQLite"
    else:
        other_kind.write_bytes(b"SQLite format 3\x00" + b"\0" * 100)
        wrong_kind = "is a SQLite backup; this database is PostgreSQL"
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup\n")
    expected = {
        cut: "",
        other_kind: wrong_kind,
        junk: "is not a backup made by 'flask backup create'",
        tmp_path / "missing.backup": "no such file",
    }
    for path, message in expected.items():
        result = run("backup", "restore", path, "--force")
        assert result.exit_code == 1, (path, result.output)
        assert str(path) in result.output and message in result.output
        assert "Traceback" not in result.output
    # Nothing was touched by the refused restores.
    with demo.app_context():
        assert db.session.scalar(select(User.id).where(User.username == "admin"))


def _set_revision(app, revision: str) -> str:
    with app.app_context():
        previous = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
        db.session.commit()
    return previous


def test_restore_of_an_older_schema_says_to_upgrade_and_refuses_an_unknown_one(
    demo, fresh_app, tmp_path
):
    with demo.app_context():
        config = demo.extensions["migrate"].migrate.get_config()
        script = ScriptDirectory.from_config(config)
        older = script.get_revision(script.get_current_head()).down_revision
    run = _cli(demo)
    head = _set_revision(demo, older)
    try:
        assert run("backup", "create", tmp_path / "older.backup").exit_code == 0
        _set_revision(demo, "0123456789ab")
        assert run("backup", "create", tmp_path / "newer.backup").exit_code == 0
    finally:
        _set_revision(demo, head)

    target = fresh_app()
    newer = _cli(target)("backup", "restore", tmp_path / "newer.backup")
    assert newer.exit_code == 1
    assert "0123456789ab" in newer.output and "does not know" in newer.output
    result = _cli(target)("backup", "restore", tmp_path / "older.backup")
    assert result.exit_code == 0, result.output
    assert "run 'flask db upgrade' now" in result.output


def test_missing_postgresql_programs_are_named(monkeypatch):
    monkeypatch.setattr(dumps.glob, "glob", lambda _pattern: [])
    monkeypatch.setattr(dumps.shutil, "which", lambda _name: None)
    with pytest.raises(dumps.BackupError, match="pg_dump is not installed"):
        dumps.pg_program("pg_dump")
