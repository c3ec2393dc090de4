"""A throwaway PostgreSQL cluster for one benchmark run, or a server named by the user.

Like tests/pgcluster.py, but tuned for loading: no fsync, minimal WAL and a larger
buffer cache. fsync and WAL settings change how fast data is written, not how fast
it is read, so the read figures stay comparable with a normal server.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "30min",
    "shared_buffers": "512MB",
    "maintenance_work_mem": "512MB",
    "listen_addresses": "127.0.0.1",
}


def _bindir() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A PostgreSQL server where the benchmark may create and drop databases."""

    admin_url: str  # libpq URL of a database to connect to for CREATE DATABASE
    directory: Path | None = None  # set when this run started the cluster
    bindir: Path | None = None
    as_postgres: bool = False

    def database_url(self, name: str) -> str:
        """Return the libpq URL of database ``name`` on this server."""
        return self.admin_url.rsplit("/", 1)[0] + "/" + name

    def create_database(self, name: str) -> str:
        """Create an empty database (dropping an old one of that name) and return its URL."""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def postmaster_pid(self) -> int | None:
        """Return the server's main process id when this run started it (to read its CPU)."""
        if self.directory is None:
            return None
        return int((self.directory / "data" / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        """Stop and delete the cluster if this run started it."""
        if self.directory is None:
            return
        _run(self, "pg_ctl", "-D", str(self.directory / "data"), "-m", "fast", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)


def _run(server: Server, program: str, *args: str) -> subprocess.CompletedProcess:
    command = [str(server.bindir / program), *args]
    if server.as_postgres:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def start() -> Server:
    """Start a cluster in a temporary folder; raise RuntimeError if PostgreSQL is missing."""
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL is not installed (no initdb). Install Debian's 'postgresql' package "
            "or set BENCH_DATABASE_URL to a server where you may create databases."
        )
    directory = Path(tempfile.mkdtemp(prefix="review-bench-pg-"))
    as_postgres = os.geteuid() == 0
    if as_postgres:
        shutil.chown(directory, "postgres", "postgres")
    port = _free_port()
    server = Server(f"postgresql://postgres@127.0.0.1:{port}/postgres", directory, bindir)
    server.as_postgres = as_postgres
    data = str(directory / "data")
    options = f"-p {port} -k {directory} " + " ".join(f"-c {k}={v}" for k, v in SETTINGS.items())
    for step in (
        ("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"),
        ("pg_ctl", "-D", data, "-o", options, "-w", "-l", f"{directory}/log", "start"),
    ):
        done = _run(server, *step)
        if done.returncode != 0:
            shutil.rmtree(directory, ignore_errors=True)
            raise RuntimeError(f"Could not start PostgreSQL: {done.stderr or done.stdout}")
    for _ in range(50):
        try:
            psycopg.connect(server.admin_url).close()
            break
        except psycopg.OperationalError:
            time.sleep(0.1)
    return server


def from_environment() -> Server:
    """Use BENCH_DATABASE_URL when it is set, else start a throwaway cluster."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return Server(url.replace("postgresql+psycopg://", "postgresql://"))
    return start()
