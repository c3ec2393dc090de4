"""Exporting every row of one jurisdiction: the schema walk, the zip, the manifest."""

import csv
import hashlib
import io
import json
import re
import zipfile

import pytest
from sqlalchemy import func, inspect, select

from review_app.audit.models import AuditEntry
from review_app.backup.schema import GLOBAL_TABLES, JurisdictionRows, owned_tables
from review_app.extensions import db
from review_app.sites.models import Jurisdiction

# The export reads on a connection of its own: it sees committed rows only.
pytestmark = pytest.mark.real_commits


def _read(path) -> tuple[dict, dict[str, list[dict]]]:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        tables = {
            entry["table"]: list(csv.DictReader(io.StringIO(archive.read(entry["file"]).decode())))
            for entry in manifest["files"]
        }
    return manifest, tables


def test_every_table_is_exported_or_declared_global(app):
    """A table added later must belong to jurisdictions (a foreign key) or be listed as global."""
    with app.app_context():
        in_database = set(inspect(db.engine).get_table_names())
        owned = {table.name for table in owned_tables(db.metadata)}
    assert owned & GLOBAL_TABLES.keys() == set()
    unclassified = in_database - owned - GLOBAL_TABLES.keys()
    assert not unclassified, (
        f"tables neither walked from jurisdictions nor in GLOBAL_TABLES: {sorted(unclassified)}"
    )
    assert {"cases", "answers", "qa_threads", "qa_comments", "audit_entries"} <= owned


def test_export_holds_every_row_of_the_jurisdiction_and_nothing_else(demo, run, tmp_path):
    result = run("jurisdictions", "export", "demo", tmp_path / "demo.zip")
    assert result.exit_code == 0, result.output
    manifest, tables = _read(tmp_path / "demo.zip")

    assert manifest["jurisdiction"]["code"] == "demo"
    assert manifest["schema_revision"]
    assert manifest["created_at"]
    with zipfile.ZipFile(tmp_path / "demo.zip") as archive:
        for entry in manifest["files"]:
            data = archive.read(entry["file"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(tables[entry["table"]]) == entry["rows"]

    with demo.app_context():
        demo_id = db.session.scalar(select(Jurisdiction.id).where(Jurisdiction.code == "demo"))
        walk = JurisdictionRows(db.metadata, demo_id)
        for table in walk.owned:
            expected = db.session.scalar(
                select(func.count()).select_from(table).where(walk.condition(table))
            )
            assert len(tables[table.name]) == expected, table.name
        site_ids = {row["id"] for row in tables["sites"]}
        audit_total = db.session.scalar(
            select(func.count()).where(AuditEntry.site_id.in_([int(i) for i in site_ids]))
        )
    assert [row["code"] for row in tables["jurisdictions"]] == ["demo"]
    assert len(site_ids) == 3
    assert len(tables["audit_entries"]) == audit_total > 0
    assert {row["site_id"] for row in tables["cases"]} <= site_ids
    assert tables["answers"] and tables["memberships"]
    assert {row["site_id"] for row in tables["memberships"]} <= site_ids

    usernames = {row["username"] for row in tables["users"]}
    assert {"admin", "reviewer", "qa", "observer"} <= usernames
    assert "outsider" not in usernames  # a member of "other" only
    assert "password_hash" not in tables["users"][0]
    assert "digest" not in (tables.get("api_tokens") or [{}])[0]
    assert b"pbkdf2:" not in (tmp_path / "demo.zip").read_bytes()


def test_export_is_audited_and_refuses_an_existing_file(demo, run, tmp_path):
    target = tmp_path / "demo.zip"
    assert run("jurisdictions", "export", "demo", target).exit_code == 0
    with demo.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "jurisdiction.export")
        )
        assert entry.site_id is None and "demo" in entry.summary
    again = run("jurisdictions", "export", "demo", target)
    assert again.exit_code == 1 and "already exists" in again.output
    unknown = run("jurisdictions", "export", "nowhere", tmp_path / "x.zip")
    assert unknown.exit_code == 1 and "no jurisdiction" in unknown.output
    assert "Traceback" not in again.output + unknown.output


def test_null_and_empty_text_differ_in_the_csv():
    from review_app.backup.tables import csv_line

    assert csv_line([None, "", 'say "hi"']) == b',"","say ""hi"""\r\n'


def test_system_admin_downloads_the_export_from_the_jurisdiction_page(clients, demo):
    client = clients("sysadmin")
    page = client.get("/system/jurisdictions/demo")
    assert b"Download an export of Demo State" in page.data
    assert page.data.count(b"Download an export of Demo State") == 1  # in the page, not the title
    title = page.data.split(b"<title>")[1].split(b"</title>")[0]
    assert title.startswith(b"Demo State") and b"<" not in title
    response = client.post("/system/jurisdictions/demo/export")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "demo-export-" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    manifest, tables = _read(io.BytesIO(response.data))
    assert manifest["jurisdiction"]["code"] == "demo" and tables["cases"]
    with demo.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "jurisdiction.export")
        )
        assert entry.actor_name == "sysadmin" and entry.site_id is None
    assert client.post("/system/jurisdictions/nowhere/export").status_code == 404


def test_state_admin_cannot_download_an_export(clients):
    assert clients("admin").post("/system/jurisdictions/demo/export").status_code == 403


def test_the_download_button_carries_its_csrf_token(demo):
    """With CSRF protection on (as served), the page's form works and a forged post does not."""
    from tests.conftest import PASSWORD, make_app

    app = make_app(demo.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    login_page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={
            "username": "sysadmin",
            "password": PASSWORD,
            "csrf_token": token.search(login_page).group(1),
        },
    )
    page = client.get("/system/jurisdictions/demo").get_data(as_text=True)
    form = page[page.index('action="/system/jurisdictions/demo/export"') :]

    forged = client.post("/system/jurisdictions/demo/export")
    assert forged.status_code != 200 and forged.mimetype != "application/zip"
    with demo.app_context():
        assert not db.session.scalar(
            select(func.count()).where(AuditEntry.action == "jurisdiction.export")
        )
    sent = client.post(
        "/system/jurisdictions/demo/export", data={"csrf_token": token.search(form).group(1)}
    )
    assert sent.status_code == 200 and sent.mimetype == "application/zip"
    sent.close()
    with app.app_context():
        db.engine.dispose()
