"""The command line: jurisdictions, users and the demo data."""

import pytest
from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.sites.models import Jurisdiction, Site
from tests.conftest import login


@pytest.fixture
def run(app):
    """Run a ``flask`` command; return click's result."""
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Membership, Jurisdiction, Site, AuditEntry)
        }


def _user(app, username) -> User | None:
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def _roles(app, username) -> dict[str, list[str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Site.kind, Membership)
            .join(Membership.site)
            .join(Membership.user)
            .where(User.username == username)
        )
        return {kind: membership.roles.codes for kind, membership in rows}


def test_jurisdictions_add_creates_the_three_sites(app, run):
    result = run("jurisdictions", "add", "NV", "  Nevada ")
    assert result.exit_code == 0, result.output
    assert "Created Nevada: /nv/training/, /nv/cqi/, /nv/cfsr/" in result.output
    with app.app_context():
        kinds = db.session.scalars(
            select(Site.kind)
            .join(Site.jurisdiction)
            .where(Jurisdiction.code == "nv")
            .order_by(Site.kind)
        ).all()
    assert kinds == ["cfsr", "cqi", "training"]


def test_jurisdictions_add_refuses_a_bad_or_taken_code(app, run):
    run("jurisdictions", "add", "nv", "Nevada")
    before = _counts(app)
    result = run("jurisdictions", "add", "nv", "Nevada again")
    assert result.exit_code == 1 and "already a jurisdiction with the code 'nv'" in result.output
    result = run("jurisdictions", "add", "9x", "Bad")
    assert result.exit_code == 1 and "starting with a letter" in result.output
    result = run("jurisdictions", "add", "ok", "  ")
    assert result.exit_code == 1 and "Give the jurisdiction a name." in result.output
    assert _counts(app) == before


def test_users_add_with_roles_on_sites(demo, run, client):
    result = run(
        "users",
        "add",
        "JDoe",
        "--name",
        "Jane Doe",
        "--password",
        "river-copper-lantern",
        "--site",
        "demo/cqi",
        "--site",
        "DEMO/CFSR",
        "--role",
        "reviewer",
        "--role",
        "qa1",
    )
    assert result.exit_code == 0, result.output
    assert "Created jdoe with reviewer, qa1 on demo/cqi, demo/cfsr" in result.output
    assert _roles(demo, "jdoe") == {"cqi": ["reviewer", "qa1"], "cfsr": ["reviewer", "qa1"]}
    login(client, "jdoe", "river-copper-lantern")
    assert client.get("/demo/cqi/").status_code == 200  # a chosen password is not temporary


def test_users_add_without_a_password_prints_a_temporary_one(app, run, client):
    result = run("users", "add", "root", "--system-admin")
    assert result.exit_code == 0, result.output
    password = result.output.split("first sign-in): ")[1].strip()
    user = _user(app, "root")
    assert user.is_system_admin and user.must_change_password and user.display_name == "root"
    login(client, "root", password)
    assert client.get("/").location.endswith("/account/password")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--site", "nowhere/cqi", "--role", "reviewer"], "no site 'nowhere/cqi'"),
        (["--site", "demo", "--role", "reviewer"], "no site 'demo'"),
        (["--site", "demo/cqi", "--role", "boss"], "Invalid value for '--role'"),
        (["--site", "demo/cqi"], "--site and --role go together"),
        (["--role", "reviewer"], "--site and --role go together"),
    ],
)
def test_users_add_refuses_a_bad_site_or_role(demo, run, args, message):
    before = _counts(demo)
    result = run("users", "add", "jdoe", "--password", "river-copper-lantern", *args)
    assert result.exit_code == 2 and message in result.output
    assert _counts(demo) == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["reviewer"], "The username 'reviewer' is already taken."),
        (["Reviewer"], "The username 'reviewer' is already taken."),
        (["bad name"], "Use 2 to 80 lowercase letters"),
        (["jdoe", "--password", "short"], "at least 10 characters"),
        (["jdoe", "--site", "demo/cqi", "--role", "qa2"], "has only one QA level"),
        (["jdoe", "--site", "demo/cqi", "--role", "qa1", "--role", "qa2"], "choose one QA level"),
    ],
)
def test_users_add_refuses_a_taken_username_and_changes_nothing(demo, run, args, message):
    before = _counts(demo)
    result = run("users", "add", *args)
    assert result.exit_code == 1 and message in result.output
    assert _counts(demo) == before
    assert _user(demo, "jdoe") is None


def test_seed_demo_creates_the_demo_once(app, run, client):
    """Seeded on an empty database (``--if-empty`` seeds it), then never again.

    One test, so the demo is seeded once per database: seeding is most of its cost.
    """
    result = run("seed-demo", "--if-empty", "--password", "demo-password-9", "--small")
    assert result.exit_code == 0, result.output
    assert "Demo ready." in result.output
    assert "Every user's password is: demo-password-9" in result.output
    assert "qa2" in result.output and "qa2 on cfsr" in result.output
    login(client, "admin", "demo-password-9")
    assert client.get("/demo/cqi/admin/users").status_code == 200
    before = _counts(app)
    result = run("seed-demo")
    assert result.exit_code == 1 and "The demo data is already there" in result.output
    assert "nothing was changed" in result.output
    assert _counts(app) == before
    result = run("seed-demo", "--if-empty")
    assert result.exit_code == 0 and "already there" in result.output
    assert _counts(app) == before


def test_seed_demo_refuses_when_a_demo_username_is_taken(app, run):
    run("users", "add", "observer", "--password", "someone-else-1")
    before = _counts(app)
    result = run("seed-demo")
    assert result.exit_code == 1 and "already there" in result.output
    assert _counts(app) == before
