"""Every GET route of the app, timed once, on a national dataset (issue 14: none over 2 s).

    python -m bench.requests [--cases 20000] [--jurisdictions 50] [--keep]

Loads a dataset in a throwaway PostgreSQL cluster (or on BENCH_DATABASE_URL), or uses
an already loaded database named by --url. Signs in, through the Flask test client in
this process, as the state administrator of the site of the largest period, and
requests every GET route of the url_map, its arguments filled with real ids of that
site: once to warm, and once timed after the kept pages and the performance figures
are forgotten (as bench/counts.py does), so each page is rendered with its figures
computed. Streamed responses (exports) are read to their end; they are reported
apart, with the time to their first bytes. Routes whose arguments cannot be filled
are listed. See bench/README.md ("Every request under 2 s").
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import request_finished
from sqlalchemy import event, text

from bench import cluster, counts, dataset
from bench.generate import PASSWORD, bench_app, generate
from review_app.core.pagecache import clear_pages
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.performance import cache
from review_app.performance.views import DIMENSIONS

DATABASE = "review_bench_requests"
LIMIT_SECONDS = 2.0


@dataclass
class Timed:
    endpoint: str
    path: str
    status: int
    seconds: float  # the whole response, read to its end
    statements: int
    streamed: bool
    first_byte_seconds: float
    bytes: int


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _first(sql: str, **params):
    """Return the first column of the first row of ``sql``, or None (no row, or no such table)."""
    try:
        with db.session.begin_nested():
            return db.session.execute(text(sql), params).scalar()
    except Exception:  # noqa: BLE001 - a table or column this lookup guessed is not there
        return None


def _values(target: counts.Target) -> dict[str, list[str]]:
    """Return, per route argument, the real values of the target's site to fill it with."""
    jurisdiction, kind = target.slug.split("/")
    case_id = target.case_ids[len(target.case_ids) // 2]
    site = _first("SELECT site_id FROM review_periods WHERE id = :p", p=target.period_id)
    user = _first("SELECT id FROM users WHERE username = :u", u=target.username)
    found = {
        "jurisdiction": jurisdiction,
        "kind": kind,
        "case_id": case_id,
        "period_id": target.period_id,
        "code": jurisdiction,
        "item_id": _first(
            "SELECT item_id FROM item_reviews WHERE case_id = :c ORDER BY item_id", c=case_id
        ),
        "local_site_id": _first(
            "SELECT id FROM local_sites WHERE site_id = :s ORDER BY id", s=site
        ),
        "membership_id": _first(
            "SELECT id FROM memberships WHERE site_id = :s AND user_id = :u", s=site, u=user
        ),
        "user_id": _first(
            "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id "
            "WHERE m.site_id = :s AND u.username LIKE '%reviewer%' ORDER BY u.id",
            s=site,
        ),
        "interview_id": _first("SELECT id FROM interviews WHERE site_id = :s", s=site),
        "job_id": _first("SELECT max(id) FROM jobs WHERE site_id = :s", s=site),
        "notice_id": _first("SELECT id FROM notices WHERE site_id = :s", s=site),
    }
    version = _first(
        "SELECT instrument_version FROM review_periods WHERE id = :p", p=target.period_id
    )
    instrument = get_instrument(version)
    found["factor_id"] = next(iter(instrument.factors))
    values = {name: [str(value)] for name, value in found.items() if value is not None}
    # A systemic item is not a case's item: those routes take one of the instrument's.
    values["systemic item_id"] = [next(iter(instrument.systemic_items))]
    values["fmt"] = ["csv", "xlsx"]
    values["dimension"] = list(DIMENSIONS)
    return values


def _paths(app, values: dict[str, list[str]], period_id: int):
    """Return [(endpoint, path)] for every GET route, and [(endpoint, rule)] left unfilled."""
    filled, skipped = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        missing = [name for name in rule.arguments if name not in values]
        if missing:
            skipped.append((rule.endpoint, rule.rule, ", ".join(sorted(missing))))
            continue
        combos: list[dict[str, str]] = [{}]
        systemic = rule.endpoint.startswith("systemic.")
        for name in sorted(rule.arguments):
            choices = values.get(f"systemic {name}", values[name]) if systemic else values[name]
            combos = [{**combo, name: value} for combo in combos for value in choices]
        for combo in combos:
            path = rule.build(combo, append_unknown=False)[1]
            # A site's pages look at the largest period where they take one.
            if "jurisdiction" in rule.arguments and "period_id" not in rule.arguments:
                path += f"?period={period_id}"
            filled.append((rule.endpoint, path))
    skipped.append(("static", "/static/<path:filename>", "files, not pages"))
    return filled, skipped


def _request(client, app, endpoint, path, statements, sent: list, headers) -> Timed:
    cache.clear()
    clear_pages(app)
    statements.clear()
    sent.clear()
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    first_byte, size = None, 0
    for chunk in response.response:
        first_byte = first_byte or time.perf_counter() - started
        size += len(chunk)
    response.close()
    seconds = time.perf_counter() - started
    return Timed(
        endpoint,
        path,
        response.status_code,
        seconds,
        len(statements),
        bool(sent) and sent[-1].is_streamed,  # as the app made it, not as the client wraps it
        first_byte or seconds,
        size,
    )


def measure(app, target: counts.Target):
    """Request every fillable GET route twice; return the timed visits and the skipped routes."""
    client = app.test_client()
    signed_in = client.post("/login", data={"username": target.username, "password": PASSWORD})
    assert signed_in.status_code == 302, f"could not sign in as {target.username}"
    # A job to show: the period's PDF, queued on a queue no worker reads, so it stays queued.
    started = client.post(f"/{target.slug}/reports/periods/{target.period_id}/finalized-pdf")
    assert started.status_code == 303, f"the period PDF answered {started.status_code}"
    with app.app_context():
        values = _values(target)
        engine = db.engine
    filled, skipped = _paths(app, values, target.period_id)
    # The API takes a token, not the session: one made with the app's own command.
    made = app.test_cli_runner().invoke(
        args=["tokens", "create", target.username, "--site", target.slug, "--name", "bench"]
    )
    token_client = app.test_client()  # as a script would: the token, no session cookie
    bearer = {"Authorization": f"Bearer {made.output.strip().splitlines()[-1]}"}
    statements: list[str] = []
    sent: list = []  # the app's response, to tell a streamed one

    def finished(sender, response, **extra):
        sent.append(response)

    def counter(conn, cursor, statement, *args):
        statements.append(statement)

    timed = []
    event.listen(engine, "before_cursor_execute", counter)
    request_finished.connect(finished, app)
    try:
        for endpoint, path in filled:
            api = endpoint.startswith("api.")
            headers, by = (bearer, token_client) if api else ({}, client)
            if endpoint == "accounts.login" or "logout" in endpoint:
                skipped.append((endpoint, path, "would end the session"))
                continue
            _request(by, app, endpoint, path, statements, sent, headers)  # warm
            timed.append(_request(by, app, endpoint, path, statements, sent, headers))
            _say(f"{timed[-1].seconds:7.3f} s  {timed[-1].status}  {path}")
    finally:
        event.remove(engine, "before_cursor_execute", counter)
        request_finished.disconnect(finished, app)
    return timed, skipped


def _print(timed: list[Timed], skipped, title: str) -> None:
    print()
    print(title)
    pages = sorted((t for t in timed if not t.streamed), key=lambda t: -t.seconds)
    downloads = sorted((t for t in timed if t.streamed), key=lambda t: -t.seconds)
    width = max(len(t.path) for t in timed)
    end_width = max(len(t.endpoint) for t in timed)
    print(f"{'route':<{end_width}}  {'path':<{width}}  status  seconds  statements")
    for t in pages:
        flag = "  OVER 2 s" if t.seconds > LIMIT_SECONDS else ""
        print(
            f"{t.endpoint:<{end_width}}  {t.path:<{width}}  {t.status:>6}  {t.seconds:7.3f}"
            f"  {t.statements:>10}{flag}"
        )
    if downloads:
        print()
        print("Streamed downloads (whole download; first bytes is the request's own time):")
        for t in downloads:
            flag = "  first bytes OVER 2 s" if t.first_byte_seconds > LIMIT_SECONDS else ""
            print(
                f"{t.endpoint:<{end_width}}  {t.path:<{width}}  {t.status:>6}  {t.seconds:7.3f}"
                f"  {t.statements:>10}  first bytes {t.first_byte_seconds:.3f} s,"
                f" {t.bytes / 2**20:.1f} MB{flag}"
            )
    over = [t for t in pages if t.seconds > LIMIT_SECONDS]
    over += [t for t in downloads if t.first_byte_seconds > LIMIT_SECONDS]
    print()
    print("Over 2 s: " + (", ".join(f"{t.endpoint} {t.path}" for t in over) or "none"))
    refused = [t for t in timed if t.status in (401, 403, 404)]
    print(
        "Refused to this person: "
        + (", ".join(f"{t.endpoint} ({t.status})" for t in refused) or "none")
    )
    print("Not requested:")
    for endpoint, rule, why in skipped:
        print(f"  {endpoint}  {rule}  ({why})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--jurisdictions", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the database and print its URL")
    parser.add_argument("--url", help="an already loaded database: skip loading")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    server = queue = None
    url = args.url
    if url is None:
        server = cluster.from_environment()
    try:
        if url is None:
            _say(f"loading {args.cases:,} cases over {args.jurisdictions} jurisdictions")
            url = server.create_database(DATABASE)
            options = dataset.Options(cases=args.cases, jurisdictions=args.jurisdictions)
            generate(url, options, quiet=True)
        queue = tempfile.mkdtemp(prefix="review-bench-requests-")
        app = bench_app(
            url,
            WTF_CSRF_ENABLED=False,
            JOBS_URL=f"sqlite:///{queue}/jobs.db",
            JOBS_DIR=Path(queue) / "results",
        )
        target = counts.largest_period(app)
        with app.app_context():
            total = _first("SELECT count(*) FROM cases")
        _say(f"requests as {target.username} on /{target.slug}, period of {target.cases:,} cases")
        load = os.getloadavg()
        timed, skipped = measure(app, target)
        with app.app_context():
            db.engine.dispose()
    finally:
        if queue:
            shutil.rmtree(queue, ignore_errors=True)
        if server is not None:
            if args.keep:
                _say(f"kept: {server.database_url(DATABASE)}")
            else:
                server.drop_database(DATABASE)
                server.stop()
    title = (
        f"Requests {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {total:,} cases "
        f"(largest period {target.cases:,}), {os.cpu_count()} CPUs, as {target.username}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before; "
        f"whole run {(time.perf_counter() - began) / 60:.1f} minutes"
    )
    _print(timed, skipped, title)
    return 1 if any(t.seconds > LIMIT_SECONDS and not t.streamed for t in timed) else 0


if __name__ == "__main__":
    sys.exit(main())
