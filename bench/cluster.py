"""A throwaway PostgreSQL cluster for one benchmark run, or a server named by the user.

Started by tests/pgcluster.py, but tuned for loading: no fsync, minimal WAL and a larger
buffer cache. fsync and WAL settings change how fast data is written, not how fast
it is read, so the read figures stay comparable with a normal server.
"""

import os
from dataclasses import dataclass

import psycopg

from tests import pgcluster

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


@dataclass
class Server:
    """A PostgreSQL server where the benchmark may create and drop databases."""

    admin_url: str  # libpq URL of a database to connect to for CREATE DATABASE
    cluster: pgcluster.Cluster | None = None  # set when this run started the cluster

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
        if self.cluster is None:
            return None
        pid_file = self.cluster.directory / "data" / "postmaster.pid"
        return int(pid_file.read_text().split()[0])

    def stop(self) -> None:
        """Stop and delete the cluster if this run started it."""
        if self.cluster is not None:
            self.cluster.stop()


def start() -> Server:
    """Start a cluster tuned for loading in a temporary folder (the tests' way of starting one)."""
    try:
        cluster = pgcluster.start(SETTINGS, prefix="review-bench-pg-")
    except RuntimeError as exc:
        raise RuntimeError(
            f"{exc} Or set BENCH_DATABASE_URL to a server where you may create databases."
        ) from None
    return Server(cluster.admin_url(), cluster)


def from_environment() -> Server:
    """Use BENCH_DATABASE_URL when it is set, else start a throwaway cluster."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return Server(url.replace("postgresql+psycopg://", "postgresql://"))
    return start()
