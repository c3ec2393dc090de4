"""Pages under concurrent load: the production server (gunicorn) and wrk, or Python threads.

Every page is loaded by the same client against the same server, the pages with
a session signed in through the real login form (CSRF token and all). The
trivial endpoint (/system/health, no session) is the baseline, so the client's
and the server's own costs are in every figure alike. Beside throughput and
latency, the CPU time of gunicorn and of PostgreSQL per request is read from
/proc: it varies less than throughput on a machine shared with other work.
"""

import http.client
import http.cookiejar
import os
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.generate import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
USER_AGENT = "review-bench"
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; math.randomseed(os.time() + math.random(1000)) end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95), b,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Load:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    failures: int  # answers other than 200, and socket errors
    client_cpu: float = 0.0  # CPU seconds the load client used
    server_cpu: float = 0.0  # CPU seconds of gunicorn and its workers
    database_cpu: float | None = None  # of PostgreSQL's processes (when it runs here)
    evenness: float = 1.0  # CPU of the least busy worker / of the busiest one

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def per_request_ms(self, cpu: float | None) -> float | None:
        return None if cpu is None or not self.requests else 1000 * cpu / self.requests


TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, float]]:
    """Return pid -> (parent pid, CPU seconds) of every process we can read."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(stat.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def cpu_of_trees(roots: list[int]) -> list[float]:
    """Return the CPU seconds used so far by each root process and all its descendants."""
    processes = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    totals = []
    for root in roots:
        total, stack = 0.0, [root]
        while stack:
            pid = stack.pop()
            total += processes.get(pid, (0, 0.0))[1]
            stack += children.get(pid, [])
        totals.append(total)
    return totals


class Server:
    """gunicorn serving the application on a free port, for the duration of a with block."""

    def __init__(
        self,
        url: str,
        workers: int,
        threads: int,
        database_pid: int | None = None,
        settings: dict[str, str] | None = None,
    ):
        self.database_pid = database_pid
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=secrets.token_hex(16))
        env["COOKIE_SECURE"] = "0"  # plain HTTP on the loopback: cookies would not come back
        env.update(settings or {})
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.command = [str(gunicorn), "--bind", f"127.0.0.1:{self.port}"]
        self.command += ["--workers", str(workers), "--worker-class", "gthread"]
        self.command += ["--threads", str(threads), "--log-level", "warning"]
        self.command += ["review_app:create_app()"]
        self.env = env
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/system/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer within 30 seconds")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def sign_in(self, username: str) -> str:
        """Sign in through the login form (CSRF token and all); return the Cookie header."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("User-Agent", USER_AGENT)]
        page = opener.open(self.base + "/login").read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("no csrf_token on the login page")
        form = {"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
        opener.open(self.base + "/login", urllib.parse.urlencode(form).encode()).read()
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        request = urllib.request.Request(self.base + "/", headers={"Cookie": cookie})
        request.add_header("User-Agent", USER_AGENT)
        with urllib.request.urlopen(request) as answer:
            if "/login" in answer.url:
                raise RuntimeError(f"signing in as {username} failed")
        return cookie

    def check(self, path: str, cookie: str) -> int:
        """Return the status of one GET (redirects are not followed), before loading a page."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": cookie, "User-Agent": USER_AGENT} if cookie else {}
        connection.request("GET", path, headers=headers)
        status = connection.getresponse().status
        connection.close()
        return status


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client_name() -> str:
    return "wrk" if shutil.which("wrk") else "python threads"


def warm(server: Server, paths: list[str], cookie: str, rounds: int = 6) -> None:
    """Request every path ``rounds`` times, each on a new connection, from 4 threads.

    Each gunicorn worker accepts connections on its own, so new connections
    spread the first visits over the workers: with two workers, a path is
    missed by one of them with a chance of 2 / 2**rounds (3% for 6 rounds).
    """
    queue = [path for _ in range(rounds) for path in paths]

    def visit(part: list[str]) -> None:
        for path in part:
            server.check(path, cookie)

    threads = [threading.Thread(target=visit, args=(queue[n::4],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _worker_cpu(master: int) -> dict[int, float]:
    """Return the CPU seconds used so far by each gunicorn worker (the master's children)."""
    return {pid: cpu for pid, (parent, cpu) in _processes().items() if parent == master}


def run(server: Server, name: str, paths: list[str], cookie: str, connections: int, seconds: int):
    """Load ``paths`` (one at random per request) for ``seconds``; return the figures.

    A keep-alive connection stays with the worker that accepted it, and now and
    then most of the connections land on one worker, which then does the work
    of all of them while the other idles. Such a run (one worker using less
    than half the CPU of the busiest) is repeated, up to twice; the most even
    run is kept and its share is reported.
    """
    for path in paths[:3]:
        status = server.check(path, cookie)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}, not 200")
    best = None
    for _ in range(3):
        found = _run_once(server, name, paths, cookie, connections, seconds)
        if best is None or found.evenness > best.evenness:
            best = found
        if found.evenness >= 0.5:
            break
    return best


def _run_once(server, name, paths, cookie, connections, seconds) -> "Load":
    roots = [server.process.pid] + ([server.database_pid] if server.database_pid else [])
    before, workers_before = cpu_of_trees(roots), _worker_cpu(server.process.pid)
    if shutil.which("wrk"):
        found = _wrk(server, name, paths, cookie, connections, seconds)
    else:
        found = _threads(server, name, paths, cookie, connections, seconds)
    after, workers_after = cpu_of_trees(roots), _worker_cpu(server.process.pid)
    found.server_cpu = after[0] - before[0]
    if server.database_pid:
        found.database_cpu = after[1] - before[1]
    used = [workers_after[pid] - workers_before.get(pid, 0.0) for pid in workers_after]
    found.evenness = min(used) / max(used) if len(used) > 1 and max(used) > 0 else 1.0
    return found


def _wrk(server, name, paths, cookie, connections, seconds) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
    try:
        command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections)]
        command += ["-d", f"{seconds}s", "--timeout", "30s", "-s", script.name]
        command += ["-H", f"User-Agent: {USER_AGENT}", server.base]
        command += ["-H", f"Cookie: {cookie}"] if cookie else []
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        now = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        os.unlink(script.name)
    found = re.search(r"^BENCH (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", output, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk printed no figures:\n{output}")
    requests, micros, p50, p95, bad, errors = (int(x) for x in found.groups())
    client = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
    return Load(name, requests, micros / 1e6, p50 / 1000, p95 / 1000, bad + errors, client)


def _threads(server, name, paths, cookie, connections, seconds) -> Load:
    """A stand-in for wrk: one keep-alive connection per thread."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    headers = {"Cookie": cookie, "User-Agent": USER_AGENT} if cookie else {"User-Agent": USER_AGENT}

    def worker(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        mine, bad, n = [], 0, number
        while time.perf_counter() < deadline:
            n += 1
            started = time.perf_counter()
            try:
                connection.request("GET", paths[n * 7919 % len(paths)], headers=headers)
                answer = connection.getresponse()
                answer.read()
                bad += answer.status != 200
            except OSError:
                bad += 1
                connection.close()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    started, cpu = time.perf_counter(), time.process_time()
    workers = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [0.0] * 19
    client = time.process_time() - cpu
    return Load(name, len(latencies), elapsed, cuts[9] * 1000, cuts[18] * 1000, failures[0], client)
