"""Load a national dataset of finalized cases into an empty PostgreSQL database with COPY.

    python -m bench.generate postgresql://user@host/db [--cases 100000] [--jurisdictions 50]

The schema is made by the application's migrations; every row is written with
COPY (see bench/dataset.py for the shape, bench/pool.py for the answers).
Everyone's password is ``bench-password``.
"""

import argparse
import time
from dataclasses import dataclass

import psycopg
from flask import Flask
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from bench import dataset, pool
from bench.copying import NULL, Copier, json_text, line
from review_app import create_app
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.sites.settings import SITE_KINDS

PASSWORD = "bench-password"
QUESTION = "Which assessment is this rating based on?"
REPLY = "The spring safety assessment; see the narrative."
INSTRUMENT = "cfsr-round4"
TABLES = ["jurisdictions", "sites", "users", "review_periods", "local_sites", "cases"]
TABLES += ["answers", "item_reviews", "outcome_ratings", "submitted_ratings"]
TABLES += ["assignments", "memberships", "qa_threads", "qa_comments"]


def bench_app(url: str, **config) -> Flask:
    """Return the application on database ``url`` (a libpq or SQLAlchemy URL)."""
    uri = url.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_app({"SQLALCHEMY_DATABASE_URI": uri, **config})


@dataclass
class Result:
    cases: int
    rows: int
    seconds: float  # COPY only
    pool_seconds: float
    analyze_seconds: float
    tally: list


def _people(copier: Copier, jurisdictions: list[dataset.Jurisdiction]) -> None:
    hashed = generate_password_hash(PASSWORD)
    people = [person for j in jurisdictions for person in j.people]
    copier.copy(
        "users",
        ["id", "username", "display_name", "password_hash"],
        (line(p.id, p.username, p.name, hashed) for p in people),
    )
    first = copier.next_id("memberships")
    roles = [(p.id, *role) for p in people for role in p.roles]
    copier.copy(
        "memberships",
        ["id", "user_id", "site_id", "is_state_admin", "is_reviewer", "is_observer", "qa_level"],
        (line(first + n, *role) for n, role in enumerate(roles)),
    )


def _places(copier: Copier, jurisdictions: list[dataset.Jurisdiction]) -> None:
    copier.copy(
        "jurisdictions", ["id", "code", "name"], (line(j.id, j.code, j.name) for j in jurisdictions)
    )
    copier.copy(
        "sites",
        ["id", "jurisdiction_id", "kind"],
        (line(site, j.id, kind) for j in jurisdictions for kind, site in j.site_ids.items()),
    )
    copier.copy(
        "local_sites",
        ["id", "site_id", "code", "name"],
        (
            line(ls[0], j.site_ids["cqi"], ls[1], ls[2])
            for j in jurisdictions
            for ls in j.local_sites
        ),
    )
    periods = [p for j in jurisdictions for p in j.periods]
    copier.copy(
        "review_periods",
        ["id", "site_id", "name", "pur_start", "pur_end", "instrument_version", "is_open"],
        (
            line(p.id, p.site_id, p.name, p.pur_start, p.pur_end, INSTRUMENT, p.is_open)
            for p in periods
        ),
    )
    copier.copy(
        "period_local_sites",
        ["period_id", "local_site_id"],
        (line(p.id, local) for p in periods for local in p.local_site_ids),
    )


def _cases(copier: Copier, facts: list[dataset.CaseFacts], sets: dict) -> None:
    def entry(case: dataset.CaseFacts) -> pool.AnswerSet:
        return sets[case.case_type][case.pool_index]

    def case_lines():
        for c in facts:
            known = {fact for _, fact in entry(c).prefilled}
            yield line(
                c.id, c.period.site_id, c.period.id, c.local_site_id, c.number, c.case_type,
                c.child_name, c.birth, f"Family {c.child_name}", c.dates["opened_on"],
                c.dates["removal_on"] if "removal_on" in known else None,
                c.dates["closed_on"] if "closed_on" in known else None,
                "finalized", 6, c.finalized_at, c.created_at, c.submitted_at, c.finalized_at,
            )  # fmt: skip

    copier.copy(
        "cases",
        ["id", "site_id", "period_id", "local_site_id", "case_number", "case_type"]
        + ["child_name", "child_birth_date", "family_name", "opened_on", "removal_on"]
        + ["closed_on", "status", "status_version", "status_changed_at", "created_at"]
        + ["submitted_at", "finalized_at"],
        case_lines(),
    )
    ids = {name: copier.next_id(name) for name in TABLES}

    def numbered(table: str, rows):
        for row in rows:
            yield f"{ids[table]}\t{row}"
            ids[table] += 1

    def assignments():
        for c in facts:
            for reviewer in c.reviewers:
                yield line(c.id, reviewer, c.created_at)

    def answers():
        for c in facts:
            head = f"{c.id}\t{c.reviewers[0]}\t{c.submitted_at.isoformat()}\t"
            found = entry(c)
            for tail in found.answers:
                yield head + tail
            for question_id, fact in found.prefilled:
                yield f"{head}{question_id}\t{json_text(c.dates[fact].isoformat())}\t"

    def item_reviews():
        for c in facts:
            qa, at = c.jurisdiction.qa, c.finalized_at.isoformat()
            head = f"{c.id}\t{c.reviewers[0]}\t{c.submitted_at.isoformat()}\t1\t"
            override = f"\t{qa}\t{at}"
            plain = f"\t{NULL}\t{NULL}"
            for tail, overridden in entry(c).items:
                yield head + tail + (override if overridden else plain)

    def outcomes():
        for c in facts:
            for tail in entry(c).outcomes:
                yield f"{c.id}\t{tail}"

    def submitted():
        for c in facts:
            head = f"{c.id}\t{c.submitted_at.isoformat()}\t"
            for tail in entry(c).submitted:
                yield head + tail

    threads_first = ids["qa_threads"]

    def threads():
        for c in facts:
            rated = entry(c).rated_items or ["1"]
            item = rated[c.id % len(rated)]
            qa, at = c.jurisdiction.qa, c.submitted_at
            yield line(c.id, item, False, qa, at, "qa1", qa, c.finalized_at)

    def comments():
        for n, c in enumerate(facts):
            thread, qa = threads_first + n, c.jurisdiction.qa
            yield line(thread, qa, QUESTION, c.submitted_at)
            yield line(thread, c.reviewers[0], REPLY, c.finalized_at)

    tables = [
        ("assignments", ["case_id", "user_id", "created_at"], assignments),
        (
            "answers",
            ["case_id", "updated_by_id", "updated_at", "question_id", "value", "narrative"],
            answers,
        ),
        (
            "item_reviews",
            ["case_id", "updated_by_id", "updated_at", "lock_version", "item_id", "rating"]
            + ["rationale", "override_rating", "override_reason", "override_by_id", "override_at"],
            item_reviews,
        ),
        ("outcome_ratings", ["case_id", "outcome_id", "rating"], outcomes),
        ("submitted_ratings", ["case_id", "submitted_at", "item_id", "rating"], submitted),
        (
            "qa_threads",
            ["case_id", "item_id", "is_open", "created_by_id", "created_at", "case_status"]
            + ["resolved_by_id", "resolved_at"],
            threads,
        ),
        ("qa_comments", ["thread_id", "author_id", "body", "created_at"], comments),
    ]
    for table, columns, rows in tables:
        copier.copy(table, ["id", *columns], numbered(table, rows()))


def generate(url: str, options: dataset.Options, quiet: bool = False) -> Result:
    """Migrate the empty database at ``url`` and load the dataset; return the figures."""
    app = bench_app(url)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        sets = pool.build(get_instrument(INSTRUMENT), options.pool, options.seed)
        pool_seconds = time.perf_counter() - started
        tables = dict(db.metadata.tables)
        db.engine.dispose()
    libpq = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(libpq) as conn:
        if conn.execute("SELECT count(*) FROM jurisdictions").fetchone()[0]:
            raise SystemExit("The database already holds jurisdictions: give an empty one.")
        _skip_foreign_key_checks(conn)
        copier = Copier(conn, tables)
        first = {name: copier.next_id(name) for name in TABLES}
        jurisdictions = dataset.plan(options, SITE_KINDS, first)
        pool_sizes = {kind: len(found) for kind, found in sets.items()}
        facts = list(dataset.cases(jurisdictions, pool_sizes, first["cases"], options.seed))
        started = time.perf_counter()
        _places(copier, jurisdictions)
        _people(copier, jurisdictions)
        _cases(copier, facts, sets)
        copier.reset_sequences()
        conn.commit()
        seconds = time.perf_counter() - started
    started = time.perf_counter()
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    result = Result(
        len(facts),
        sum(t.rows for t in copier.tally),
        seconds,
        pool_seconds,
        time.perf_counter() - started,
        copier.tally,
    )
    if not quiet:
        print_result(result)
    return result


def _skip_foreign_key_checks(conn: psycopg.Connection) -> None:
    """Skip per-row foreign key triggers while loading (rows are consistent by construction).

    Needs a superuser; without one the load still works, only slower.
    """
    try:
        conn.execute("SET session_replication_role = replica")
    except psycopg.errors.InsufficientPrivilege:
        conn.rollback()


def print_result(result: Result) -> None:
    print(f"{'table':<20} {'rows':>12} {'seconds':>9} {'rows/s':>12}")
    for loaded in result.tally:
        print(f"{loaded.table:<20} {loaded.rows:>12,} {loaded.seconds:>9.2f} {loaded.rate:>12,.0f}")
    rate = result.rows / result.seconds if result.seconds else 0
    print(f"{'all (COPY)':<20} {result.rows:>12,} {result.seconds:>9.2f} {rate:>12,.0f}")
    print(
        f"{result.cases:,} finalized cases; answer pool built in {result.pool_seconds:.1f} s; "
        f"VACUUM ANALYZE {result.analyze_seconds:.1f} s"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="an empty PostgreSQL database, postgresql://...")
    defaults = dataset.Options()
    for name in ("cases", "jurisdictions", "periods", "local_sites", "pool", "seed"):
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=int, default=getattr(defaults, name))
    args = parser.parse_args(argv)
    options = dataset.Options(
        **{name: getattr(args, name) for name in vars(defaults) if hasattr(args, name)}
    )
    generate(args.url, options)


if __name__ == "__main__":
    main()
