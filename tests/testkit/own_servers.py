"""Servers a test owns: a Redis and a PostgreSQL cluster started on free loopback
ports in a temporary directory, which the test may stop, kill, restart or wipe.

Fault tests use these (or `TcpProxy`) and never touch the shared servers.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from testkit.ports import free_port


def _wait(predicate: object, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not happen within {timeout} s")


class OwnRedis:
    """A `redis-server` on 127.0.0.1:<port>, data in its own directory.

    `stop()` shuts it down (saving nothing), `kill()` SIGKILLs it, `start()` starts
    it again on the same port; `start(empty=True)` after a stop plays a Redis that
    came back without its data.
    """

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *, empty: bool = False) -> None:
        if empty:
            for leftover in self.directory.glob("*"):
                if leftover.is_dir():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
        self._process = subprocess.Popen(  # - a fixed binary on loopback
            [
                shutil.which("redis-server") or "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--protected-mode",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(self.answers, f"redis on port {self.port} answering")

    def answers(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"],
            capture_output=True,
            check=False,
        )
        return result.stdout.strip() == b"PONG"

    def stop(self) -> None:
        """Stop gracefully; the append-only file keeps every acknowledged write."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        self._process.wait(timeout=15)
        self._process = None

    def kill(self) -> None:
        if self._process is None:
            return
        self._process.kill()
        self._process.wait(timeout=15)
        self._process = None


@contextmanager
def own_redis() -> Iterator[OwnRedis]:
    """A started `OwnRedis`, stopped and removed on exit."""
    with tempfile.TemporaryDirectory(prefix="own-redis-") as directory:
        server = OwnRedis(Path(directory))
        server.start()
        try:
            yield server
        finally:
            server.kill()


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None
    )
    if found is None:
        raise FileNotFoundError(f"PostgreSQL binary {name} not found")
    return found


class OwnPostgres:
    """A PostgreSQL cluster of its own (`initdb`) on 127.0.0.1:<port>, trust auth,
    user `postgres`. `stop()`/`start()` play a database outage. As root, the server
    runs as the `postgres` system user (PostgreSQL refuses to run as root)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self._as_user: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def admin_url(self) -> str:
        """libpq form, database `postgres`."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        if self._as_user:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(
            _pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port}"
            f" -c unix_socket_directories={self.directory} -c fsync=off"
        )
        self._run(
            _pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.directory / "log"),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """`fast` disconnects every client; `immediate` plays a crash."""
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> None:
        self._run(
            _pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name
        )

    def _run(self, *command: str) -> None:
        subprocess.run([*self._as_user, *command], check=True, capture_output=True)


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    """An initialised, started `OwnPostgres`, stopped and removed on exit."""
    with tempfile.TemporaryDirectory(prefix="own-postgres-") as directory:
        server = OwnPostgres(Path(directory))
        server.init()
        server.start()
        try:
            yield server
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):  # stopped by the test
                server.stop("immediate")
