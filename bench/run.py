"""Run the whole benchmark and print its figures next to the targets.

    python -m bench [--cases 100000] [--jurisdictions 50] [--seconds 15] [--connections 8]

Starts a throwaway PostgreSQL cluster (or uses BENCH_DATABASE_URL, a server where
it may create databases), loads a small and a full dataset, and measures: the
performance report against hand-written SQL, the source-data export's speed and
peak memory at two sizes, the statements per page on both datasets, and the
pages under load next to the trivial endpoint. See bench/README.md.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench import cluster, counts, dataset, export, load, report
from bench.generate import bench_app, generate
from review_app.exports.queries import BATCH
from review_app.extensions import db

FULL, SMALL = "review_bench", "review_bench_small"
REPORT_RATIO, MEMORY_MIB, FLAT_MIB, THROUGHPUT_SHARE = 2.0, 300, 32, 0.5


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", 100_000)))
    parser.add_argument("--jurisdictions", type=int, default=50)
    parser.add_argument("--small-cases", type=int, default=1_000)
    parser.add_argument("--seconds", type=int, default=15, help="per page under load")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=2, help="per gunicorn worker")
    parser.add_argument("--xlsx", action="store_true", help="measure the XLSX export too")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    began = time.perf_counter()
    server = cluster.from_environment()
    try:
        lines = _bench(server, args)
    finally:
        if args.keep:
            _say(f"kept: {server.database_url(FULL)} and {server.database_url(SMALL)}")
        else:
            for name in (FULL, SMALL):
                server.drop_database(name)
            server.stop()
    _print(lines, args, time.perf_counter() - began)
    return 0 if all(line[3] != "MISS" for line in lines) else 1


def _machine(url: str) -> tuple:
    info = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((t.split(":", 1)[1].strip() for t in info if t.startswith("model name")), "?")
    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return ("machine", f"{os.cpu_count()} x {cpu}, {memory:.0f} GiB", f"PostgreSQL {version}", "")


def _bench(server: cluster.Server, args) -> list[tuple]:
    lines: list[tuple] = [_machine(server.admin_url)]
    _say(f"loading the small dataset ({args.small_cases:,} cases)")
    small_url = server.create_database(SMALL)
    generate(small_url, dataset.Options(cases=args.small_cases, jurisdictions=5), quiet=True)
    _say(f"loading {args.cases:,} cases over {args.jurisdictions} jurisdictions")
    url = server.create_database(FULL)
    loaded = generate(url, dataset.Options(cases=args.cases, jurisdictions=args.jurisdictions))
    rate = loaded.rows / loaded.seconds
    copied = f"{loaded.rows:,} rows in {loaded.seconds:.0f} s"
    lines.append(("data: rows loaded by COPY", copied, f"{rate:,.0f} rows/s", ""))
    app = bench_app(url, WTF_CSRF_ENABLED=False)
    big = counts.largest_period(app)
    checked = counts.check_cases(app, big)
    lines.append(
        (
            "data: sampled cases, as the case page reads them",
            f"{checked} complete",
            "stored ratings = the engine's",
            "PASS",
        )
    )

    _say(f"performance report on the largest period ({big.cases:,} cases)")
    compared = report.compare(app, url, big.period_id)
    lines.append(
        (
            f"performance report, {compared.cases:,} cases: app / SQL",
            f"{compared.app_seconds * 1000:.1f} / {compared.sql_seconds * 1000:.1f} ms",
            f"{compared.ratio:.2f}x (target <= {REPORT_RATIO:g}x)",
            _verdict(compared.ratio <= REPORT_RATIO),
        )
    )

    for fmt in ("csv", "xlsx") if args.xlsx else ("csv",):
        _say(f"source-data export ({fmt}) at two sizes, each in its own process")
        lines += _exports(url, counts.export_sizes(app, BATCH), fmt)

    _say("statements per page on both datasets")
    small_app = bench_app(small_url, WTF_CSRF_ENABLED=False)
    small_target = counts.largest_period(small_app)
    small_counts, full_counts = counts.count(small_app, small_target), counts.count(app, big)
    for name, full in full_counts.items():
        lines.append(
            (
                f"statements: {name}",
                f"{small_counts[name]} ({small_target.cases:,} cases) / {full} ({big.cases:,})",
                "equal",
                _verdict(small_counts[name] == full),
            )
        )
    with app.app_context():
        db.engine.dispose()  # no idle connections from this process during the load test

    _say(f"pages under load: {args.connections} connections, {args.seconds} s each")
    lines += _load(url, big, args, server.postmaster_pid())
    return lines


def _exports(url: str, targets: list[counts.Target], fmt: str) -> list[tuple]:
    found = [export.measure(url, t.period_id, t.cases, t.username, fmt) for t in targets]
    lines = []
    for one in found:
        memory = f"peak {one.peak_mib:.0f} MiB (before the download {one.baseline_mib:.0f})"
        if fmt == "csv":
            memory += f"; halves {one.halves_mib[0]:.0f}/{one.halves_mib[1]:.0f}"
        lines.append(
            (
                f"export {fmt.upper()}, {one.cases:,} cases",
                f"{one.rate:,.0f} rows/s: {one.bytes / 2**20:,.1f} MB in {one.seconds:.1f} s, "
                f"first bytes at {one.first_byte_seconds:.1f} s, {one.statements} statements",
                memory,
                _verdict(one.peak_mib < MEMORY_MIB),
            )
        )
    growth = found[-1].peak_mib - found[0].peak_mib
    lines.append(
        (
            f"export {fmt.upper()} memory, {found[0].cases:,} -> {found[-1].cases:,} cases",
            f"peak {growth:+.1f} MiB",
            f"flat: growth < {FLAT_MIB} MiB, peak < {MEMORY_MIB} MiB",
            _verdict(growth < FLAT_MIB and found[-1].peak_mib < MEMORY_MIB),
        )
    )
    return lines


def _load(url: str, target: counts.Target, args, database_pid: int | None) -> list[tuple]:
    cases = [f"/{target.slug}/cases/{case}" for case in target.case_ids]
    performance = [counts.pages(target)["performance page"]]
    # (name, paths, signed in, held to the target); pages as in production (kept pages) ...
    pages = [
        ("trivial endpoint /system/health", ["/system/health"], False, False),
        ("trivial endpoint, signed in", ["/system/health"], True, False),
        ("case page", cases, True, True),
        (f"performance page, {target.cases:,} cases", performance, True, True),
    ]  # fmt: skip
    # ... and, for reference, rendered on every request (PAGE_CACHE_SECONDS=0).
    rendered = [
        ("case page, rendered every time", cases, True, False),
        ("performance page, rendered every time", performance, True, False),
    ]  # fmt: skip
    load_before = os.getloadavg()[0]
    found = _measure(url, target.username, pages, args, database_pid, {})
    found += _measure(
        url, target.username, rendered, args, database_pid, {"PAGE_CACHE_SECONDS": "0"}
    )
    anonymous, signed_in = found[0].rps, found[1].rps
    lines = []
    for (_, _, _, held), result in zip(pages + rendered, found, strict=True):
        share = result.rps / signed_in if signed_in else 0
        cpu = f"CPU per request: app {result.per_request_ms(result.server_cpu):.1f} ms"
        if result.database_cpu is not None:
            cpu += f", database {result.per_request_ms(result.database_cpu):.1f} ms"
        cpu += f"; worker balance {result.evenness:.2f}"
        shares = f"{share:.2f}x of signed-in trivial" + (" (target >= 0.5x)" if held else "")
        shares += f", {result.rps / anonymous if anonymous else 0:.2f}x of anonymous"
        lines.append(
            (
                f"load: {result.name}",
                f"{result.rps:,.0f} req/s, p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms",
                f"{shares}; {cpu}",
                _verdict(result.failures == 0 and (not held or share >= THROUGHPUT_SHARE)),
            )
        )
        if result.failures:
            lines[-1] = (*lines[-1][:2], f"{result.failures} failed requests", "MISS")
    client = max(result.client_cpu / result.seconds for result in found)
    lines.append(
        (
            "load: the machine",
            f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
            f"client ({load.client_name()}) used at most {client:.2f} of a CPU",
            "",
        )
    )
    return lines


def _measure(url: str, username: str, pages: list[tuple], args, database_pid, settings) -> list:
    """Load each page in turn on one gunicorn started with ``settings``; return the figures."""
    found = []
    with load.Server(url, args.workers, args.threads, database_pid, settings) as server:
        cookie = server.sign_in(username)
        for name, page_paths, signed_in, _ in pages:
            sent = cookie if signed_in else ""
            load.warm(server, page_paths, sent)  # every page seen by every worker
            load.run(server, name, page_paths, sent, args.connections, 3)
            found.append(load.run(server, name, page_paths, sent, args.connections, args.seconds))
    return found


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _print(lines: list[tuple], args, seconds: float) -> None:
    widths = [max(len(str(line[i])) for line in lines) for i in range(4)]
    print()
    print(
        f"Benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {args.cases:,} cases, "
        f"{args.jurisdictions} jurisdictions, {os.cpu_count()} CPUs, load client "
        f"{load.client_name()}, {args.workers} gunicorn workers x {args.threads} threads"
    )
    for line in lines:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))
    print(f"Whole run: {seconds / 60:.1f} minutes")


if __name__ == "__main__":
    sys.exit(main())
