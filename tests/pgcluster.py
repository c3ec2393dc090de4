"""A throwaway PostgreSQL cluster for the test session."""

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


def _bindir() -> Path | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    directory: Path
    port: int
    bindir: Path
    as_postgres: bool
    options: str = ""
    suffix: str = ""  # added to every database name: one set of databases per test worker

    def to_dict(self) -> dict:
        """The cluster as plain values, for a test worker in another process."""
        return {
            "directory": str(self.directory),
            "port": self.port,
            "bindir": str(self.bindir),
            "as_postgres": self.as_postgres,
            "options": self.options,
        }

    @classmethod
    def from_dict(cls, values: dict) -> "Cluster":
        return cls(
            **{**values, "directory": Path(values["directory"]), "bindir": Path(values["bindir"])}
        )

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        name += self.suffix
        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        # The Unix socket: a query costs less than through the TCP loopback.
        return f"postgresql+psycopg://postgres@/{name}?host={self.directory}&port={self.port}"

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server and keep its data (``fast``: end sessions, write a checkpoint)."""
        _run(self, "pg_ctl", "-D", str(self.directory / "data"), "-m", mode, "-w", "stop")

    def start_server(self) -> None:
        """Start the server again on the same folder and port."""
        _start_server(self)

    def stop(self) -> None:
        _run(
            self,
            "pg_ctl",
            "-D",
            str(self.directory / "data"),
            "-m",
            "immediate",
            "stop",
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def _run(cluster: Cluster, program: str, *args: str, check: bool = True):
    command = [str(cluster.bindir / program), *args]
    if cluster.as_postgres:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=check, capture_output=True, text=True)


# Durability is not needed for a throwaway cluster; reads are unaffected.
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


def start(settings: dict[str, str] | None = None, prefix: str = "review-app-pg-") -> Cluster:
    """Initialise and start a cluster in a temporary folder; raise RuntimeError if impossible.

    ``settings`` replaces the server settings above (the benchmark tunes for loading).
    """
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL is not installed (no initdb found). Install Debian's "
            "'postgresql' package or set TEST_DATABASE_URL."
        )
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    as_postgres = os.geteuid() == 0
    if as_postgres:
        shutil.chown(directory, "postgres", "postgres")
    cluster = Cluster(directory, _free_port(), bindir, as_postgres)
    try:
        _run(
            cluster,
            "initdb",
            "-D",
            str(directory / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        )
        cluster.options = f"-p {cluster.port} -k {directory} " + " ".join(
            f"-c {key}={value}" for key, value in (settings or SETTINGS).items()
        )
        _start_server(cluster)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(directory, ignore_errors=True)
        raise RuntimeError(f"Could not start PostgreSQL: {exc.stderr or exc.stdout}") from exc
    return cluster


def _start_server(cluster: Cluster) -> None:
    """Start the cluster's server and wait until it takes connections."""
    _run(
        cluster,
        "pg_ctl",
        "-D",
        str(cluster.directory / "data"),
        "-o",
        cluster.options,
        "-w",
        "-l",
        str(cluster.directory / "server.log"),
        "start",
    )
    # pg_ctl -w waited for the server; this waits for the TCP port too, however busy
    # the machine is, and names the fault if it never opens.
    deadline = time.monotonic() + 120
    while True:
        try:
            psycopg.connect(cluster.admin_url()).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
