"""Removing a jurisdiction after a complete export of it: nothing orphaned, nothing else lost."""

import json
import sqlite3
import zipfile

import pytest
from sqlalchemy import and_, func, select, text

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.audit.queries import verify_chain
from review_app.backup.schema import owned_tables
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.sites.models import Jurisdiction, Site

# Removal and export read on connections of their own: they see committed rows only.
pytestmark = pytest.mark.real_commits


def _all_rows(app) -> dict[str, list]:
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: connection.execute(
                table.select().order_by(*table.primary_key.columns)
            ).fetchall()
            for table in db.metadata.sorted_tables
        }


def _orphans(app) -> list[str]:
    """Return 'table.column -> parent' for every foreign key naming a missing parent row."""
    found = []
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for constraint in table.foreign_key_constraints:
                parent = constraint.referred_table.alias("parent")
                pairs = [
                    (element.parent, parent.c[element.column.name])
                    for element in constraint.elements
                ]
                missing = connection.execute(
                    select(func.count())
                    .select_from(table)
                    .outerjoin(parent, and_(*(local == remote for local, remote in pairs)))
                    .where(
                        *(local.is_not(None) for local, _ in pairs),
                        pairs[0][1].is_(None),
                    )
                ).scalar_one()
                if missing:
                    found.append(f"{table.name}.{pairs[0][0].name}: {missing}")
    return found


@pytest.fixture
def exported(demo, run, tmp_path):
    path = tmp_path / "demo.zip"
    result = run("jurisdictions", "export", "demo", path)
    assert result.exit_code == 0, result.output
    return path


def _other_rows(rows: dict[str, list], app) -> dict[str, list]:
    """The rows of the jurisdiction 'other' (and every row of non-jurisdiction tables)."""
    with app.app_context():
        owned = {table.name for table in owned_tables(db.metadata)}
    return {name: value for name, value in rows.items() if name not in owned}


def test_remove_deletes_every_row_and_leaves_no_orphans(demo, run, exported):
    with demo.app_context():
        other_id = db.session.scalar(select(Jurisdiction.id).where(Jurisdiction.code == "other"))
    before = _all_rows(demo)
    result = run("jurisdictions", "remove", "demo", "--export-file", exported, "--yes")
    assert result.exit_code == 0, result.output
    assert "Removed demo:" in result.output
    after = _all_rows(demo)

    assert _orphans(demo) == []
    with demo.app_context():
        assert db.session.scalar(select(Jurisdiction.code)) == "other"
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0
        site_ids = {row.id for row in before["sites"] if row.jurisdiction_id == other_id}
    # The other jurisdiction's rows are all still there, unchanged.
    for name, rows in before.items():
        if name in ("users", "audit_entries", "audit_chain"):
            continue  # the removal's own entry extends the chain of entries of no site
        kept = [row for row in rows if row in after[name]]
        assert kept == after[name], name
    assert [row for row in before["sites"] if row.id in site_ids] == after["sites"]
    other_audit = [row for row in before["audit_entries"] if row.site_id in site_ids]
    assert other_audit and all(row in after["audit_entries"] for row in other_audit)
    assert not any(row.site_id not in site_ids | {None} for row in after["audit_entries"])
    other_chains = [row for row in before["audit_chain"] if row.chain_key in site_ids]
    assert other_chains and all(row in after["audit_chain"] for row in other_chains)
    assert {row.chain_key for row in after["audit_chain"]} == site_ids | {0}
    with demo.app_context():
        assert verify_chain().is_intact


def test_remove_deactivates_accounts_left_without_a_role_and_audits(demo, run, exported):
    assert run("jurisdictions", "remove", "demo", "--export-file", exported, "--yes").exit_code == 0
    with demo.app_context():
        users = {user.username: user for user in db.session.scalars(select(User))}
        assert not users["reviewer"].is_active and not users["admin"].is_active
        assert users["outsider"].is_active  # a member of "other"
        assert users["sysadmin"].is_active  # a system administrator holds a role
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "jurisdiction.remove")
        )
        assert entry.site_id is None
        assert entry.before["code"] == "demo" and entry.before["export_file"] == "demo.zip"
        assert any(line.startswith("cases: ") for line in entry.before["rows"])
        assert "reviewer" in entry.before["deactivated"]
        deactivations = db.session.scalars(
            select(AuditEntry.site_id).where(AuditEntry.action == "user.deactivate")
        ).all()
        assert deactivations and set(deactivations) == {None}


def _refused(app, result, *phrases):
    assert result.exit_code == 1, result.output
    assert "Nothing was removed" in result.output
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Jurisdiction.code == "demo")) == 1


def test_remove_refuses_an_export_of_another_jurisdiction(demo, run, exported, tmp_path):
    other = tmp_path / "other.zip"
    assert run("jurisdictions", "export", "other", other).exit_code == 0
    result = run("jurisdictions", "remove", "demo", "--export-file", other, "--yes")
    _refused(demo, result, "export of 'other', not of 'demo'")


def test_remove_refuses_a_cut_or_changed_export(demo, run, exported, tmp_path):
    data = exported.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    _refused(
        demo,
        run("jurisdictions", "remove", "demo", "--export-file", cut, "--yes"),
        str(cut),
        "not a complete export",
    )

    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(changed, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "cases.csv":
                content = content.replace(b"\r\n", b"\r\n", 1)[:-40] + b"\r\n"
            target.writestr(item, content)
    _refused(
        demo,
        run("jurisdictions", "remove", "demo", "--export-file", changed, "--yes"),
        "cases.csv does not match its SHA-256",
    )

    partial = tmp_path / "partial.zip"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(partial, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        manifest["files"] = [e for e in manifest["files"] if e["table"] != "answers"]
        for item in source.infolist():
            if item.filename not in ("answers.csv", "manifest.json"):
                target.writestr(item, source.read(item))
        target.writestr("manifest.json", json.dumps(manifest))
    _refused(
        demo,
        run("jurisdictions", "remove", "demo", "--export-file", partial, "--yes"),
        "no file for the table answers",
    )
    missing = run("jurisdictions", "remove", "demo", "--export-file", tmp_path / "no.zip", "--yes")
    _refused(demo, missing, "no such file")


def test_remove_refuses_an_export_older_than_the_data(demo, run, exported):
    with demo.app_context():
        case = db.session.scalar(
            select(Case)
            .join(Site, Case.site_id == Site.id)
            .join(Jurisdiction)
            .where(Jurisdiction.code == "demo")
        )
        case.family_name = "Changed after the export"
        db.session.commit()
    result = run("jurisdictions", "remove", "demo", "--export-file", exported, "--yes")
    _refused(demo, result, "changed after", "cases", "Make a new export")


def test_remove_asks_before_it_removes(demo, run, exported):
    result = run("jurisdictions", "remove", "demo", "--export-file", exported, input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    with demo.app_context():
        assert db.session.scalar(select(func.count()).where(Jurisdiction.code == "demo")) == 1


def test_a_change_made_during_the_removal_is_not_lost(demo, run, exported, monkeypatch):
    """Between the check of the export and the deletes, another request changes a case."""
    from review_app.backup import operations

    with demo.app_context():
        case_id = db.session.scalar(
            select(Case.id)
            .join(Site, Case.site_id == Site.id)
            .join(Jurisdiction)
            .where(Jurisdiction.code == "demo")
        )
    change = text("UPDATE cases SET family_name = 'Concurrent' WHERE id = :id")
    outcome = []
    original = operations.write_rows

    def check_then_change(connection, table, condition, write):
        result = original(connection, table, condition, write)
        if not outcome:
            if demo.config["TEST_DATABASE"] == "sqlite":
                other = sqlite3.connect(db.engine.url.database, timeout=0.2)
                try:
                    other.execute(change.text.replace(":id", str(case_id)))
                    other.commit()
                    outcome.append("written")
                except sqlite3.OperationalError as error:
                    outcome.append(str(error))
                finally:
                    other.close()
            else:
                with db.engine.connect() as other:
                    other.execute(change, {"id": case_id})
                    other.commit()
                    outcome.append("written")
        return result

    monkeypatch.setattr(operations, "write_rows", check_then_change)
    result = run("jurisdictions", "remove", "demo", "--export-file", exported, "--yes")
    if demo.config["TEST_DATABASE"] == "sqlite":
        # The removal holds the write lock: the other request waits, and it is removed after.
        assert outcome == ["database is locked"]
        assert result.exit_code == 0, result.output
    else:
        assert outcome == ["written"]
        _refused(demo, result, "changed while it was being removed")
        with demo.app_context():
            assert db.session.get(Case, case_id).family_name == "Concurrent"
