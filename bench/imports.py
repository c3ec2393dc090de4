"""Measure the three importers' rows per second, on SQLite and on PostgreSQL.

    python -m bench.imports [--rows 5000] [--databases sqlite,postgresql]

Each database is made empty, migrated and given one jurisdiction (a state
administrator, 40 reviewers, 10 local sites, an open period on each site and
a practice case made an answer key). Then each file is posted to its import
page through the application, signed in as the administrator, as a browser
would, and timed from the request to the committed answer:

- a case sample of ``--rows`` cases (CSV), each with one or two reviewers;
- ``--rows`` people (CSV), new accounts with temporary passwords, hashed as
  in production (scrypt) unless ``--fast-hash``;
- an answer key answering every question of the instrument, with narratives,
  rationales and explanations.

PostgreSQL is a throwaway cluster (bench/cluster.py) unless BENCH_DATABASE_URL
names a server where databases may be created. See bench/README.md.
"""

import argparse
import io
import os
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from bench import cluster
from bench.generate import bench_app
from review_app.extensions import db

DATABASE = "review_bench_imports"
PASSWORD = "violet-harbor-quill-2931"


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--fast-hash", action="store_true", help="hash passwords cheaply (as the tests do)"
    )
    return parser.parse_args(argv)


def _seed(app) -> dict:
    from review_app.accounts.operations import create_user
    from review_app.cases.facts import CaseFacts
    from review_app.cases.operations import create_case
    from review_app.core.roles import RoleSet
    from review_app.members.operations import grant_access
    from review_app.periods.operations import create_period
    from review_app.sites.operations import create_jurisdiction, create_local_site
    from review_app.training.key_operations import make_key

    with app.app_context():
        upgrade()
        state = create_jurisdiction(None, "bx", "Bench State")
        db.session.flush()
        admin = create_user(None, "bench-admin", "Bench Admin", PASSWORD)
        found = {}
        for site in state.sites:
            grant_access(None, site, admin, RoleSet(is_state_admin=True))
            locals_ = [create_local_site(None, site, f"{n:03}", f"County {n}") for n in range(10)]
            period = create_period(
                None, site, "FY2026", date(2025, 10, 1), date(2026, 9, 30), "cfsr-round4", locals_
            )
            found[site.kind] = (site, period)
        reviewers = [create_user(None, f"rev{n:02}", f"Reviewer {n}", PASSWORD) for n in range(40)]
        for user in reviewers:
            for site, _period in found.values():
                grant_access(None, site, user, RoleSet(is_reviewer=True))
        site, period = found["training"]
        key = create_case(
            None, period, CaseFacts("KEY-1", "foster_care", period.local_sites[0], "K.K.")
        )
        make_key(admin, key)
        db.session.commit()
        return {"key": key.id, "period": found["cqi"][1].id}


def _cases_csv(rows: int) -> bytes:
    lines = ["case_number,case_type,local_site,child_name,child_birth_date,opened_on,reviewers"]
    for n in range(rows):
        kind = "foster_care" if n % 3 else "in_home"
        pair = f"rev{n % 40:02} rev{(n + 1) % 40:02}" if n % 5 < 3 else f"rev{n % 40:02}"
        born = date(2010 + n % 15, 1 + n % 12, 1 + n % 28).isoformat()
        opened = date(2025, 1 + n % 12, 1 + n % 28).isoformat()
        lines.append(f"B-{n:05},{kind},{n % 10:03},C.{n}.,{born},{opened},{pair}")
    return ("\n".join(lines) + "\n").encode()


def _people_csv(rows: int) -> bytes:
    lines = ["username,display_name,email,roles"]
    lines += [f"person{n:05},Person {n},person{n}@example.gov,reviewer" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _key_csv(app) -> tuple[bytes, int]:
    from review_app.demo.answers import complete_answers
    from review_app.instruments.catalog import get_instrument

    with app.app_context():
        instrument = get_instrument("cfsr-round4")
        answers = complete_answers(instrument, "foster_care", seed=7, no_rate=0.2)
        lines = ["question_id,answer,narrative,explanation,rationale"]
        for qid in instrument.order:
            question, value = instrument.questions[qid], answers.get(qid)
            if question.kind == "table" or value is None:
                continue
            text = ";".join(value) if isinstance(value, list) else str(value)
            narrative = "Noted late." if value in (question.narrative_answers or ()) else ""
            placement = instrument.placements[qid]
            explained = "The key says so." if placement.item else ""
            lines.append(f'{qid},"{text}",{narrative},{explained},')
        for item_id in instrument.items:
            lines.append(f"item {item_id},,,Why item {item_id} is rated so.,Rationale.")
    return ("\n".join(lines) + "\n").encode(), len(lines) - 1


def _post(client, path: str, data: bytes, name: str, **fields) -> tuple[float, float]:
    """Post the file; return the wall-clock seconds and this process's CPU seconds."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post(
        path,
        data={**fields, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code not in (200, 302, 303):
        page = response.get_data(as_text=True)
        errors = re.findall(r"<li>(.*?)</li>", page, re.S)[:10]
        raise RuntimeError(f"{path}: {response.status_code} {errors}")
    return seconds, cpu


def _statements(app) -> tuple[list, object]:
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    seen: list = []

    def count(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(engine, "before_cursor_execute", count)


def measure(url: str, rows: int, fast_hash: bool) -> list[tuple[str, int, float, float, int]]:
    """Return (import, rows, seconds, CPU seconds, statements) per importer on database ``url``."""
    # The case import is a job: run at once, in the request, so it is timed from the
    # post to the committed cases (bench/import_job.py times it through a real worker).
    config = {
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "bench",
        "SESSION_COOKIE_SECURE": False,
        "JOBS_URL": "memory://",
        "JOBS_IMMEDIATE": True,
    }
    if fast_hash:
        config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    app = bench_app(url, **config)
    ids = _seed(app)
    client = app.test_client()
    response = client.post("/login", data={"username": "bench-admin", "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    key_csv, key_rows = _key_csv(app)
    results = []
    for name, path, data, filename, fields, count in (
        ("cases", "/bx/cqi/cases/import", _cases_csv(rows), "sample.csv",
         {"period_id": str(ids["period"])}, rows),
        ("users", "/bx/cfsr/admin/users/import", _people_csv(rows), "people.csv", {}, rows),
        ("answer key", f"/bx/training/answer-keys/{ids['key']}/import", key_csv, "key.csv", {},
         key_rows),
    ):  # fmt: skip
        seen, stop = _statements(app)
        try:
            seconds, cpu = _post(client, path, data, filename, **fields)
        finally:
            stop()
        results.append((name, count, seconds, cpu, len(seen)))
    with app.app_context():
        from review_app.cases.models import Case

        assert db.session.scalar(select(func.count(Case.id))) >= rows, "the cases were not added"
        db.engine.dispose()
    return results


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    wanted = [name.strip() for name in args.databases.split(",") if name.strip()]
    table, load_before = [], _load()
    for name in wanted:
        if name == "sqlite":
            with tempfile.TemporaryDirectory(prefix="review-bench-imports-") as folder:
                url = f"sqlite:///{Path(folder) / 'bench.db'}"
                table += [(name, *row) for row in measure(url, args.rows, args.fast_hash)]
        else:
            server = cluster.from_environment()
            try:
                url = server.create_database(DATABASE)
                table += [(name, *row) for row in measure(url, args.rows, args.fast_hash)]
                server.drop_database(DATABASE)
            finally:
                server.stop()
    hashing = "pbkdf2 (cheap)" if args.fast_hash else "scrypt (production)"
    print(f"Import benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
          f"password hashing {hashing}")  # fmt: skip
    print(
        f"{'database':<12}{'import':<12}{'rows':>7}{'seconds':>10}{'rows/s':>9}"
        f"{'app CPU s':>11}{'statements':>12}"
    )
    for database, name, count, seconds, cpu, statements in table:
        print(
            f"{database:<12}{name:<12}{count:>7,}{seconds:>10.2f}{count / seconds:>9,.0f}"
            f"{cpu:>11.2f}{statements:>12,}"
        )
    print(f"load average before / after: {load_before} / {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
