"""How fast an account deletion reaches `/validate`: users' DELETE /me to auth rejecting.

Not a test: it starts the real processes on loopback (auth API, users API, users'
outbox relay, auth's blacklist relay) on a throwaway database and a Redis namespace,
creates accounts through users' internal API, registers an auth session for each,
then deletes each account with `DELETE /api/v1/users/me` and polls auth's `/validate`
with that session's access token until it answers 401. Prints p50/p99/max of the
delay from the DELETE response to the first rejection.

Then, per restart round, it SIGKILLs the blacklist relay holding a message it has
read but not acknowledged (the state a kill between XREADGROUP and XACK leaves: the
script delivers the deletion to the killed consumer's name), restarts it and prints
p50/p99/max of the delay from the restart to the rejection (interpreter start
included), and from the relay's /health answering to the rejection.

    dist/export/python/virtualenvs/python-default/3.11.7/bin/python \\
        bench/deletion_propagation.py [--deletions 200] [--restarts 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)
from validate_bench import ROOT, VALIDATE_PATH, Server, delete_namespace, free_port, write_key

sys.path[:0] = [str(ROOT / "apps/users/src")]

DELETE_PATH = "/api/v1/users/me"
IDENTITIES_PATH = "/internal/v1/identities"
GROUP = "auth-blacklist-relay"
BOUND_SECONDS = 10.0


def percentiles(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, max(0, round(len(ms) * 0.99) - 1))]
    return f"p50 {statistics.median(ms):.1f} ms   p99 {p99:.1f} ms   max {ms[-1]:.1f} ms"


@contextmanager
def bench_database(admin_url: str) -> Iterator[str]:
    """A throwaway database with both services' schemas migrated."""
    from auth.infrastructure.persistence_postgres.migrations import (
        SCRIPT_LOCATION as AUTH_MIGRATIONS,
    )
    from auth.infrastructure.persistence_postgres.registry import SCHEMA as AUTH_SCHEMA
    from servicekit.migrations import upgrade
    from testkit.databases import temporary_database
    from users.infrastructure.persistence_postgres.migrations import (
        SCRIPT_LOCATION as USERS_MIGRATIONS,
    )
    from users.infrastructure.persistence_postgres.registry import SCHEMA as USERS_SCHEMA

    with temporary_database(admin_url, "bench_deletion") as url:
        upgrade(AUTH_MIGRATIONS, url, AUTH_SCHEMA)
        upgrade(USERS_MIGRATIONS, url, USERS_SCHEMA)
        yield url


class Relay:
    """A relay process (`python -m <module>`), which the script may SIGKILL."""

    def __init__(self, module: str, env: dict[str, str], health_port: int | None = None) -> None:
        self.module, self.env, self.health_port = module, env, health_port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        """Spawn it; returns the spawn instant (perf_counter)."""
        spawned = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", self.module], env=self.env)
        return spawned

    async def wait_up(self, path: str = "/health", expect: str = "") -> float:
        """Wait until `path` answers (containing `expect`; bounded: 60 s); returns
        the instant it did."""
        assert self.process is not None
        assert self.health_port is not None
        async with httpx.AsyncClient(timeout=1) as client:
            for _ in range(3000):
                if self.process.poll() is not None:
                    raise SystemExit(f"{self.module} exited ({self.process.returncode})")
                try:
                    response = await client.get(f"http://127.0.0.1:{self.health_port}{path}")
                    if expect in response.text:
                        return time.perf_counter()
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.01)
        raise SystemExit(f"{self.module} did not answer {path}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class Bench:
    def __init__(self, env: dict[str, str], auth: str, users: str, service_token: str) -> None:
        from auth.setup.settings import AuthSettings
        from auth.setup.token_system import TokenSystem, load_keys
        from servicekit.redis import create_redis

        self.env = env
        self.auth = httpx.AsyncClient(base_url=auth, timeout=5)
        self.users = httpx.AsyncClient(base_url=users, timeout=5)
        self.service_token = service_token
        settings = AuthSettings(
            profile="local",
            redis_key_prefix=env["AUTH_REDIS_KEY_PREFIX"],
            redis_url=env["AUTH_REDIS_URL"],  # type: ignore[arg-type]
            token={"keys_dir": env["AUTH_TOKEN__KEYS_DIR"]},  # type: ignore[arg-type]
        )
        self.redis = create_redis(settings.redis_url.get_secret_value())
        self.tokens = TokenSystem.build(settings, self.redis, load_keys(settings))

    async def account_with_session(self) -> tuple[str, str]:
        """A users account and an auth session of it (registered the way a login
        does); returns its user id and access token."""
        created = await self.users.post(
            IDENTITIES_PATH,
            headers={"X-Service-Token": self.service_token},
            json={"provider": "kakao", "provider_user_id": uuid.uuid4().hex},
        )
        created.raise_for_status()
        user_id = uuid.UUID(created.json()["user_id"])
        pair = await self.tokens.service.issue_and_register(
            user_id=user_id, provider="kakao", device_id=None, user_agent="bench"
        )
        return str(user_id), pair.access_token

    async def validate(self, token: str) -> int:
        response = await self.auth.get(VALIDATE_PATH, headers={"Authorization": f"Bearer {token}"})
        return response.status_code

    async def delete(self, token: str) -> float:
        """DELETE /me; returns the instant the 204 came back."""
        if await self.validate(token) != 200:
            raise SystemExit("auth rejected a fresh token")
        response = await self.users.delete(
            DELETE_PATH, headers={"Authorization": f"Bearer {token}"}
        )
        if response.status_code != 204:
            raise SystemExit(f"DELETE /me answered {response.status_code}: {response.text}")
        return time.perf_counter()

    async def rejected_at(self, token: str, since: float) -> float:
        """Poll /validate back to back until it rejects `token` (bounded); that instant."""
        while (status := await self.validate(token)) == 200:
            if time.perf_counter() - since > BOUND_SECONDS:
                raise SystemExit(f"token still accepted {BOUND_SECONDS:.0f} s later")
        if status != 401:
            raise SystemExit(f"/validate answered {status}")
        return time.perf_counter()

    async def close(self) -> None:
        await self.tokens.stop()
        await self.redis.aclose()
        await self.auth.aclose()
        await self.users.aclose()


class StreamWatch:
    """Notes when each user's id first appears in each watched stream (blocking XREAD),
    to split the delay into hops."""

    def __init__(self, redis_url: str, streams: list[str]) -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(redis_url)
        self._after = dict.fromkeys(streams, "$")
        self.seen: dict[tuple[str, str], float] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._watch())
        await asyncio.sleep(0.05)

    async def _watch(self) -> None:
        while True:
            reply = await self._redis.xread(self._after, block=1000)  # type: ignore[arg-type]
            now = time.perf_counter()
            for raw_stream, entries in reply or []:
                stream = raw_stream.decode()
                for entry_id, fields in entries:
                    self._after[stream] = entry_id
                    user = (fields.get(b"user_id") or fields.get(b"subject") or b"").decode()
                    self.seen.setdefault((stream, user), now)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        await self._redis.aclose()


async def normal_operation(bench: Bench, deletions: int) -> None:
    events = bench.env["USERS_EVENTS_STREAM"]
    revocations = f"{bench.env['AUTH_REDIS_KEY_PREFIX']}{{revocations}}"  # RedisKeys.revocations
    watch = StreamWatch(bench.env["AUTH_REDIS_URL"], [events, revocations])
    await watch.start()
    delays: list[float] = []
    to_event: list[float] = []
    to_revocation: list[float] = []
    try:
        for _ in range(deletions):
            user, token = await bench.account_with_session()
            deleted = await bench.delete(token)
            delays.append(await bench.rejected_at(token, deleted) - deleted)
            await asyncio.sleep(0.01)  # let the watch catch up before reading it
            to_event.append(watch.seen.get((events, user), deleted) - deleted)
            to_revocation.append(watch.seen.get((revocations, user), deleted) - deleted)
    finally:
        await watch.stop()
    print(f"deletions, both relays running: {len(delays)}")
    print(f"  DELETE /me response -> /validate rejects: {percentiles(delays)}")
    print("  hops (negative: before the DELETE response reached the client):")
    print(f"    -> event in the users stream (outbox relay): {percentiles(to_event)}")
    print(f"    -> revocation in auth's stream (blacklist relay): {percentiles(to_revocation)}")


async def after_relay_restart(bench: Bench, relay: Relay, rounds: int) -> None:
    from redis.asyncio import Redis

    stream = bench.env["AUTH_USER_EVENTS_STREAM"]
    redis = Redis.from_url(bench.env["AUTH_REDIS_URL"])
    from_spawn, from_up = [], []
    try:
        for _ in range(rounds):
            _, token = await bench.account_with_session()
            relay.kill()
            deleted = await bench.delete(token)
            # The outbox relay appends the event; the killed blacklist relay had read it
            # and never acknowledged it: pending for its (stable) consumer name.
            while not await redis.xreadgroup(GROUP, socket.gethostname(), {stream: ">"}, count=1):
                if time.perf_counter() - deleted > BOUND_SECONDS:
                    raise SystemExit("the deletion never reached the stream")
                await asyncio.sleep(0.001)
            spawned = relay.start()
            up = await relay.wait_up()
            rejected = await bench.rejected_at(token, spawned)
            from_spawn.append(rejected - spawned)
            from_up.append(max(0.0, rejected - up))
    finally:
        await redis.aclose()
    print(f"blacklist relay SIGKILLed holding the deletion, then restarted: {rounds} rounds")
    print(f"  restart (spawn) -> /validate rejects: {percentiles(from_spawn)}")
    print(f"  relay up (/health) -> /validate rejects: {percentiles(from_up)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deletions", type=int, default=200)
    parser.add_argument("--restarts", type=int, default=10)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    namespace = f"bench:{uuid.uuid4().hex[:10]}:"
    service_token = secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory() as keys, bench_database(args.postgres_url) as database:
        write_key(Path(keys))
        [pem] = Path(keys).glob("*.pem")
        public_pem = (
            load_pem_private_key(pem.read_bytes(), None)
            .public_key()
            .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(sys.path),
            "AUTH_PROFILE": "local",
            "AUTH_DATABASE_URL": database,
            "AUTH_REDIS_URL": args.redis_url,
            "AUTH_REDIS_KEY_PREFIX": f"{namespace}auth:",
            "AUTH_TOKEN__KEYS_DIR": keys,
            "AUTH_USER_EVENTS_STREAM": f"{namespace}events:users",
            "AUTH_LOG_LEVEL": "WARNING",
            "USERS_PROFILE": "local",
            "USERS_DATABASE_URL": database,
            "USERS_REDIS_URL": args.redis_url,
            "USERS_REDIS_KEY_PREFIX": f"{namespace}users:",
            "USERS_EVENTS_STREAM": f"{namespace}events:users",
            "USERS_INTERNAL_API_TOKEN": service_token,
            "USERS_ACCESS_TOKEN__PUBLIC_KEY_PEM": public_pem,
            "USERS_LOG_LEVEL": "WARNING",
            "USERS_RATE_LIMITS__ENABLED": "false",  # every deletion comes from one address
        }
        blacklist_port = free_port()
        blacklist = Relay(
            "auth.workers.consumers.blacklist_relay",
            {**env, "AUTH_RELAY__METRICS_PORT": str(blacklist_port)},
            health_port=blacklist_port,
        )
        outbox_port = free_port()
        outbox = Relay(
            "users.workers.outbox_relay",
            {**env, "USERS_OUTBOX__METRICS_PORT": str(outbox_port)},
            health_port=outbox_port,
        )
        servers = [
            Server("auth.setup.app:create_app", free_port(), 1, env),
            Server("users.setup.app:create_app", free_port(), 1, env),
        ]
        try:
            for server in servers:
                server.wait_ready("/health")
            outbox.start()
            blacklist.start()
            asyncio.run(blacklist.wait_up())
            asyncio.run(outbox.wait_up("/metrics", expect="users_outbox_listening 1.0"))
            auth, users = (f"http://127.0.0.1:{server.port}" for server in servers)

            async def run() -> None:
                bench = Bench(env, auth, users, service_token)
                try:
                    await normal_operation(bench, args.deletions)
                    await after_relay_restart(bench, blacklist, args.restarts)
                finally:
                    await bench.close()

            asyncio.run(run())
        finally:
            for relay in (blacklist, outbox):
                relay.stop()
            for server in servers:
                server.stop()
            print(
                f"cleaned up {asyncio.run(delete_namespace(args.redis_url, namespace))} Redis keys"
            )


if __name__ == "__main__":
    main()
