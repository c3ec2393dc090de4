"""The audit log's hash chains: any changed, removed or reordered entry is found and named."""

import threading
import time

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from review_app.audit.models import AuditEntry
from review_app.audit.operations import record, record_read
from review_app.audit.queries import verify_chain
from review_app.extensions import db
from review_app.sites.queries import site_by_slug


def _verify(app):
    with app.app_context():
        return verify_chain()


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry))


def _sql(app, statement: str, **params) -> None:
    with app.app_context():
        db.session.execute(text(statement), params)
        db.session.commit()


def _cqi_entry(app, position: int) -> AuditEntry:
    """Return the entry at ``position`` of the demo CQI chain (or the last one, for -1)."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        order = AuditEntry.chain_position.desc() if position < 0 else AuditEntry.chain_position
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.site_id == site.id)
            .order_by(order)
            .offset(abs(position) - 1)
        )
        db.session.expunge(entry)
        return entry


@pytest.fixture
def run(demo):
    runner = demo.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_the_demo_chain_is_intact_and_counts_every_entry(demo, run):
    report = _verify(demo)
    assert report.is_intact, [b.describe() for b in report.broken]
    assert report.entries == _count(demo) > 0
    assert report.chains >= 4  # outside any site, and the demo's three sites at least
    result = run("audit", "verify")
    assert result.exit_code == 0, result.output
    assert f"The audit log is intact: {report.entries} entries in {report.chains} chains." in (
        result.output
    )


def test_a_changed_summary_is_named_and_the_command_fails(demo, run):
    entry = _cqi_entry(demo, 5)
    _sql(demo, "UPDATE audit_entries SET summary = 'nothing happened' WHERE id = :id", id=entry.id)
    report = _verify(demo)
    assert not report.is_intact
    assert report.first_broken.entry_id == entry.id
    assert "changed" in report.first_broken.reason
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert f"First broken entry: entry {entry.id} (" in result.output
    assert entry.action in result.output


def test_a_removed_entry_is_found_at_the_entry_after_it(demo):
    removed, following = _cqi_entry(demo, 5), _cqi_entry(demo, 6)
    _sql(demo, "DELETE FROM audit_entries WHERE id = :id", id=removed.id)
    broken = _verify(demo).first_broken
    assert broken.entry_id == following.id
    assert "missing" in broken.reason


def test_removing_the_newest_entries_is_found_by_the_chain_head(demo):
    newest, before = _cqi_entry(demo, -1), _cqi_entry(demo, -2)
    _sql(demo, "DELETE FROM audit_entries WHERE id = :id", id=newest.id)
    broken = _verify(demo).first_broken
    assert broken.entry_id == before.id
    assert "removed" in broken.reason


def test_two_swapped_entries_are_found_at_the_first_of_them(demo):
    fifth, sixth = _cqi_entry(demo, 5), _cqi_entry(demo, 6)
    _sql(demo, "UPDATE audit_entries SET chain_position = 6 WHERE id = :id", id=fifth.id)
    _sql(demo, "UPDATE audit_entries SET chain_position = 5 WHERE id = :id", id=sixth.id)
    assert _verify(demo).first_broken.entry_id == sixth.id


def test_an_entry_moved_to_another_site_breaks_both_chains(demo):
    entry = _cqi_entry(demo, 3)
    with demo.app_context():
        cfsr = site_by_slug("demo", "cfsr").id
    _sql(demo, "UPDATE audit_entries SET site_id = :site WHERE id = :id", site=cfsr, id=entry.id)
    report = _verify(demo)
    assert len(report.broken) == 2
    assert entry.id in {broken.entry_id for broken in report.broken}


def test_an_entry_written_around_the_application_is_named(demo):
    with demo.app_context():
        site = site_by_slug("demo", "cqi").id
    _sql(
        demo,
        "INSERT INTO audit_entries (created_at, actor_name, site_id, action, object_type, "
        "summary, is_read_event) VALUES (CURRENT_TIMESTAMP, 'x', :site, 'forged', '', 'x', :f)",
        site=site,
        f=False,
    )
    broken = _verify(demo).first_broken
    assert broken.action == "forged" and "never sealed" in broken.reason


def test_an_entry_added_past_the_chain_head_is_named(demo):
    newest = _cqi_entry(demo, -1)
    _sql(
        demo,
        "INSERT INTO audit_entries (created_at, actor_name, site_id, action, object_type, "
        "summary, is_read_event, chain_position, prev_hash, entry_hash) VALUES (CURRENT_TIMESTAMP,"
        " 'x', :site, 'forged', '', 'x', :f, :position, :prev, :prev)",
        site=newest.site_id,
        f=False,
        position=newest.chain_position + 1,
        prev=newest.entry_hash,
    )
    broken = _verify(demo).first_broken
    assert broken.action == "forged" and "past the chain's head" in broken.reason


def test_rolled_back_entries_leave_no_gap_and_no_fork(demo):
    with demo.app_context():
        cqi, cfsr = site_by_slug("demo", "cqi"), site_by_slug("demo", "cfsr")
        record(None, "test.kept", cqi, "kept", site=cqi)
        db.session.commit()
        record(None, "test.gone", cqi, "rolled back", site=cqi)
        db.session.flush()  # written, then undone
        db.session.rollback()
        cqi, cfsr = site_by_slug("demo", "cqi"), site_by_slug("demo", "cfsr")
        with db.session.begin_nested():
            record(None, "test.kept", cfsr, "kept", site=cfsr)
        savepoint = db.session.begin_nested()
        record(None, "test.gone", cqi, "in a savepoint rolled back", site=cqi)
        db.session.flush()
        savepoint.rollback()
        # One transaction, three chains.
        record(None, "test.kept", cqi, "kept", site=cqi)
        record(None, "test.kept", None, "kept")
        record_read(None, "test.read", cqi, "read", site=cqi, details={"format": "csv"})
        db.session.commit()
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("test.%"))
        )
        assert sorted(actions) == ["test.kept"] * 4 + ["test.read"]
    report = _verify(demo)
    assert report.is_intact, [b.describe() for b in report.broken]


@pytest.mark.real_commits  # writers in threads, each on a connection of its own
def test_concurrent_writers_leave_a_chain_that_verifies_even_while_checked(demo):
    if demo.config["TEST_DATABASE"] != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; PostgreSQL is where writers overlap")
    threads, rounds = 6, 15
    before = _count(demo)
    start = threading.Barrier(threads)
    failures = []

    def writer(number: int) -> None:
        try:
            with demo.app_context():
                start.wait()
                for round_ in range(rounds):
                    site = site_by_slug("demo", ("cqi", "cfsr")[(number + round_) % 2])
                    record(
                        None, "test.concurrent", site, f"writer {number} round {round_}", site=site
                    )
                    db.session.flush()  # ids taken now, chain places at commit: they interleave
                    if round_ % 3 == 0:
                        record(None, "test.concurrent", None, f"writer {number} round {round_}")
                    time.sleep(0.002)
                    if round_ % 5 == 4:
                        db.session.rollback()
                    else:
                        db.session.commit()
        except Exception as exc:  # noqa: BLE001  (reported by the test below)
            failures.append(exc)

    done = threading.Event()
    live_reports = []

    def verifier() -> None:
        """Verify while the writers write: a live log must never look broken."""
        with demo.app_context():
            while not done.is_set():
                live_reports.append(verify_chain())
                db.session.rollback()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    checking = threading.Thread(target=verifier)
    checking.start()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    checking.join()
    assert failures == []
    assert live_reports and all(report.is_intact for report in live_reports), [
        b.describe() for report in live_reports for b in report.broken
    ]
    kept_rounds = [r for r in range(rounds) if r % 5 != 4]
    expected = threads * (len(kept_rounds) + sum(1 for r in kept_rounds if r % 3 == 0))
    assert _count(demo) == before + expected
    report = _verify(demo)
    assert report.is_intact, [b.describe() for b in report.broken]
    assert report.entries == before + expected


@pytest.mark.real_commits  # the migration runs on connections of its own
def test_the_migration_seals_existing_entries_so_an_upgraded_log_verifies(demo):
    heads = _verify(demo).heads
    with demo.app_context():
        downgrade(revision="6d93e867da5c-1")  # undo the chain migration alone
        upgrade()
    report = _verify(demo)
    assert report.is_intact, [b.describe() for b in report.broken]
    assert report.heads == heads  # the migration hashes exactly as the application does
