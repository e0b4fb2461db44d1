"""Servers a test owns: a Redis, a Redis Cluster and a PostgreSQL cluster started on
free loopback ports in a temporary directory, which the test may stop, kill, restart
or wipe.

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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from redis.crc import key_slot

from testkit.ports import free_port, free_ports


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

    def __init__(
        self, directory: Path, port: int | None = None, *, options: Sequence[str] = ()
    ) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.options = list(options)  # more `redis-server` options, after the defaults
        self.bus_port = 0  # a cluster node's bus port
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *, empty: bool = False, wait: bool = True) -> None:
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
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if wait:
            _wait(self.answers, f"redis on port {self.port} answering")

    def answers(self) -> bool:
        return self.cli("ping") == "PONG"

    @property
    def running(self) -> bool:
        return self._process is not None

    def cli(self, *command: str) -> str:
        """`redis-cli` on this server; its output ('' when it does not answer)."""
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), *command],
            capture_output=True,
            check=False,
            timeout=10,
        )
        return result.stdout.decode().strip()

    def stop(self) -> None:
        """Stop gracefully; the append-only file keeps every acknowledged write."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        self._process.wait(timeout=15)
        self._process = None

    def pause(self) -> None:
        """SIGSTOP: the process holds its connections but answers nothing (a hung node)."""
        if self._process is not None:
            self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        if self._process is None:
            return
        self._process.send_signal(signal.SIGCONT)  # a paused process dies at once too
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


class OwnRedisCluster:
    """A Redis Cluster of three masters and three replicas on free loopback ports
    (`redis-server --cluster-enabled yes`, each in its own directory, joined by
    `redis-cli --cluster create --cluster-replicas 1`).

    A node that misses `NODE_TIMEOUT_MS` is failed over to its replica. `kill(port)`
    SIGKILLs a node, `start(port)` brings it back with its cluster identity
    (`empty=True`: without its data), `add_replica(master)` adds a new node as a
    master's replica. Nodes keep no data on disk: replicas are the only other copy.
    """

    MASTERS = 3
    NODE_TIMEOUT_MS = 2000
    """Small so a failover takes seconds; not so small that a busy machine's pause
    fails a healthy node over."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.nodes: dict[int, OwnRedis] = {}
        for _ in range(self.MASTERS * 2):
            self._new_node()

    def _new_node(self) -> OwnRedis:
        """A node on a client port and a cluster bus port no other node has."""
        taken = set(self.nodes) | {node.bus_port for node in self.nodes.values()}
        port, bus_port = [p for p in free_ports(len(taken) + 2) if p not in taken][:2]
        node_dir = self.directory / f"node-{port}"
        node_dir.mkdir()
        node = OwnRedis(node_dir, port)
        node.bus_port = bus_port
        node.options = [
            "--appendonly",
            "no",
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-node-timeout",
            str(self.NODE_TIMEOUT_MS),
            "--cluster-port",
            str(bus_port),
            "--repl-diskless-sync-delay",
            "0",  # a replica syncs at once, not 5 s later
        ]
        self.nodes[node.port] = node
        return node

    @property
    def url(self) -> str:
        """The seed the client is given (any node would do)."""
        return f"redis://127.0.0.1:{next(iter(self.nodes))}/0"

    def create(self) -> None:
        for node in self.nodes.values():
            node.start(wait=False)
        for node in self.nodes.values():
            _wait(node.answers, f"redis on port {node.port} answering")
        subprocess.run(
            [
                "redis-cli",
                "--cluster",
                "create",
                *(f"127.0.0.1:{port}" for port in self.nodes),
                "--cluster-replicas",
                "1",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 30.0) -> None:
        """Until every running node says the cluster is ok and sees the same three
        masters, each with a replica whose link is up (a failover is possible)."""
        _wait(self._healthy, "the Redis Cluster being ok with every replica in sync", timeout)

    def _healthy(self) -> bool:
        running = [node for node in self.nodes.values() if node.running]
        if any("cluster_state:ok" not in node.cli("cluster", "info") for node in running):
            return False
        views = {frozenset(self._masters(node)) for node in running}
        if len(views) != 1 or len(next(iter(views))) != self.MASTERS:
            return False
        replicas = [node for node in running if node.port not in next(iter(views))]
        return len(replicas) == self.MASTERS and all(
            "master_link_status:up" in node.cli("info", "replication") for node in replicas
        )

    def _masters(self, node: OwnRedis) -> set[int]:
        """Ports of the masters serving slots, as `node` sees them (failed ones excluded)."""
        masters = set()
        for line in node.cli("cluster", "nodes").splitlines():
            fields = line.split()
            if len(fields) > 8 and "master" in fields[2] and "fail" not in fields[2]:
                masters.add(int(fields[1].split("@")[0].rsplit(":", 1)[1]))
        return masters

    def slot_map(self) -> dict[int, int]:
        """Slot → port of the master serving it, as the first running node sees it
        (slots of a failed master are left out)."""
        node = next(node for node in self.nodes.values() if node.running)
        served: dict[int, int] = {}
        for line in node.cli("cluster", "nodes").splitlines():
            fields = line.split()
            if "master" not in fields[2] or "fail" in fields[2]:
                continue
            port = int(fields[1].split("@")[0].rsplit(":", 1)[1])
            for slots in fields[8:]:
                first, _, last = slots.partition("-")
                served.update(dict.fromkeys(range(int(first), int(last or first) + 1), port))
        return served

    def master_of(self, key: str) -> int:
        """The port of the node serving `key` now."""
        port = self.slot_map().get(key_slot(key.encode()))
        if port is None:
            raise LookupError(f"no running master serves {key!r}")
        return port

    def replica_of(self, master: int) -> int:
        """The port of the replica of the master on `master`."""
        for port, node in self.nodes.items():
            if node.running and f"master_port:{master}" in node.cli("info", "replication"):
                return port
        raise LookupError(f"the master on {master} has no running replica")

    def kill(self, port: int) -> None:
        self.nodes[port].kill()

    def add_replica(self, master: int) -> int:
        """A new, empty node joins as the replica of the master on `master` (what a
        managed cluster does after a failover); its port once it is in sync."""
        node = self._new_node()
        node.start()
        subprocess.run(
            [
                "redis-cli",
                "--cluster",
                "add-node",
                f"127.0.0.1:{node.port}",
                f"127.0.0.1:{master}",
                "--cluster-slave",
                "--cluster-master-id",
                self.nodes[master].cli("cluster", "myid"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        _wait(
            lambda: "master_link_status:up" in node.cli("info", "replication"),
            f"the new replica on {node.port} in sync",
        )
        return node.port

    def start(self, port: int, *, empty: bool = False) -> None:
        node = self.nodes[port]
        if empty:  # keep the node's identity (nodes.conf), lose its data
            for leftover in node.directory.glob("*"):
                if leftover.name != "nodes.conf":
                    leftover.unlink()
        node.start()

    def stop_all(self) -> None:
        for node in self.nodes.values():
            node.kill()


@contextmanager
def own_redis_cluster() -> Iterator[OwnRedisCluster]:
    """A created, healthy `OwnRedisCluster`, killed and removed on exit."""
    with tempfile.TemporaryDirectory(prefix="own-redis-cluster-") as directory:
        cluster = OwnRedisCluster(Path(directory))
        try:
            cluster.create()
            yield cluster
        finally:
            cluster.stop_all()


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
