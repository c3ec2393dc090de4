"""The source-data export's speed and peak memory, each download in a process of its own.

    python -m bench.export URL PERIOD_ID USERNAME [csv|xlsx]

The child signs in through the application, downloads the period's source data
(reading the streamed response to its end, as a browser would) and prints, as
JSON: rows, bytes, seconds, when the first bytes came, the SQL statements sent,
its peak resident memory (VmHWM) before and after the download, and its largest
resident memory in the first and in the second half of the rows. The parent runs
one child per size, so one download's memory never hides another's.
"""

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _status_kib(field: str) -> int:
    for text in Path("/proc/self/status").read_text().splitlines():
        if text.startswith(field + ":"):
            return int(text.split()[1])
    return 0


def peak_kib() -> int:
    """Return this process's peak resident memory so far (VmHWM), in KiB."""
    return _status_kib("VmHWM")


@dataclass
class Export:
    fmt: str
    cases: int
    rows: int
    bytes: int
    seconds: float
    first_byte_seconds: float  # until the first bytes of the file could be sent
    statements: int
    baseline_mib: float  # peak memory once the app is up and signed in
    peak_mib: float  # peak memory of the whole process, download included
    # Largest resident memory in the first and in the second half of the rows (CSV).
    halves_mib: tuple[float, float]

    @property
    def rate(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0


def probe(url: str, period_id: int, username: str, fmt: str) -> dict:
    from sqlalchemy import event

    from bench.generate import PASSWORD, bench_app
    from review_app.extensions import db
    from review_app.periods.models import ReviewPeriod

    # The stream itself is measured, whatever the size (the app offers it up to a limit).
    app = bench_app(url, WTF_CSRF_ENABLED=False, EXPORT_STREAM_MAX_CASES=None)
    with app.app_context():
        period = db.session.get(ReviewPeriod, period_id)
        path = f"/{period.site.slug}/exports/periods/{period_id}/source.{fmt}"
        engine = db.engine
    client = app.test_client()
    signed_in = client.post("/login", data={"username": username, "password": PASSWORD})
    if signed_in.status_code != 302:
        raise SystemExit(f"could not sign in as {username}: {signed_in.status_code}")
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    baseline = peak_kib()
    started = time.perf_counter()
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    size = lines = 0
    first_byte = None
    samples = []  # (lines so far, resident KiB)
    for chunk in response.response:
        first_byte = first_byte or time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
        samples.append((lines, _status_kib("VmRSS")))
    response.close()
    seconds = time.perf_counter() - started
    half = lines / 2
    return {
        "rows": lines - 1 if fmt == "csv" else None,
        "bytes": size,
        "seconds": seconds,
        "first_byte_seconds": first_byte or seconds,
        "statements": len(statements),
        "baseline_kib": baseline,
        "peak_kib": peak_kib(),
        "halves_kib": [
            max((kib for n, kib in samples if n <= half), default=0),
            max((kib for n, kib in samples if n > half), default=0),
        ],
    }


def measure(url: str, period_id: int, cases: int, username: str, fmt: str = "csv") -> Export:
    """Run one download in a child process and return its figures."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.export", url, str(period_id), username, fmt],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"export probe failed:\n{done.stderr[-3000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    if found["rows"] is not None and found["rows"] != cases:
        raise RuntimeError(f"the export has {found['rows']} rows for {cases} cases")
    return Export(
        fmt,
        cases,
        cases,
        found["bytes"],
        found["seconds"],
        found["first_byte_seconds"],
        found["statements"],
        found["baseline_kib"] / 1024,
        found["peak_kib"] / 1024,
        (found["halves_kib"][0] / 1024, found["halves_kib"][1] / 1024),
    )


if __name__ == "__main__":
    url, period_id, username = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    fmt = sys.argv[4] if len(sys.argv) > 4 else "csv"
    print(json.dumps(probe(url, period_id, username, fmt)))
