"""A throwaway Redis server on a free loopback port, for the shared rate-limit storage."""

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import redis

BINARY = "redis-server"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    directory: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


def available() -> bool:
    return shutil.which(BINARY) is not None


def start() -> Server:
    """Start redis-server without persistence; raise RuntimeError if it does not answer."""
    directory = Path(tempfile.mkdtemp(prefix="review-app-redis-"))
    port = _free_port()
    process = subprocess.Popen(
        [
            shutil.which(BINARY) or BINARY,
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = Server(process, port, directory)
    client = redis.Redis.from_url(server.url)
    deadline = time.monotonic() + 120  # waits on the server, however busy the machine is
    while time.monotonic() < deadline:
        try:
            client.ping()
            return server
        except redis.ConnectionError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"redis-server did not start on port {port}")
