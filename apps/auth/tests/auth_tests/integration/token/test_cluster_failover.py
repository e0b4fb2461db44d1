"""Auth on a Redis Cluster whose master dies under load.

Two auth processes (in-process apps) share a Redis Cluster of the test's own: one
rotates refresh tokens and logs sessions out, both answer `/validate`. The master
holding the revocation family (and a third of the sessions) is SIGKILLed while 24
families refresh every 20 ms and a session is logged out every 150 ms; its replica
takes over and a new node becomes its replica. Measured throughout, bounded in count
and time (a validator is asked about a revocation once its copy can know of it: the
bounded staleness of README "Revocation"):

- 0 revoked access tokens accepted by either process;
- 0 refresh families broken: each refresh of a family not logged out either rotates
  or answers 503 while its slot has no master, never 401 (no "reused"), and every such
  family refreshes at the end.

A shard that loses master and replica at once comes back empty: for what it held,
that is an empty Redis (README "Redis data loss"): a new revocation epoch rejects every
access token issued before it, so no revoked token comes back; its sessions are gone
(sign in again) while the other shards' sessions refresh on.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from redis.crc import key_slot

from auth.application.token.exceptions.token import RevocationStateUnavailableError
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.setup.app import create_app
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.token.conftest import (
    bearer,
    refresh_header,
    stateless_client,
    with_tokens,
)
from servicekit.redis import create_redis
from testkit.own_servers import OwnRedisCluster, own_redis_cluster

REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
VALIDATE = "/api/v1/auth/validate"
PREFIX = "auth:"
KEYS = RedisKeys(PREFIX)
FAMILIES = 24
ROUNDS = 3000  # iterations of any load loop, far above what the stop event allows
BOUND_SECONDS = 30.0  # for any wait on the cluster or the load


@pytest.fixture
def cluster() -> Iterator[OwnRedisCluster]:
    with own_redis_cluster() as started:
        yield started


@dataclass
class Family:
    """One session as its client sees it: the current pair, and what it was answered."""

    user: uuid.UUID
    access: str
    refresh: str
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    logging_out: bool = False
    ended: bool = False
    rotated_at: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # any 401: the family broke


@dataclass
class Ledger:
    refreshes: Counter[int] = field(default_factory=Counter)
    revoked: list[tuple[str, float]] = field(default_factory=list)  # logged out, when
    revoked_checks: Counter[int] = field(default_factory=Counter)
    live_checks: Counter[int] = field(default_factory=Counter)


class Auth:
    """Two auth processes on one cluster: `a` refreshes and logs out, both validate."""

    def __init__(self, settings: AuthSettings) -> None:
        self.settings = settings
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> Auth:
        self.a, self.b = create_app(self.settings), create_app(self.settings)
        for app in (self.a, self.b):
            await self._stack.enter_async_context(app.router.lifespan_context(app))
        self.api_a = await self._stack.enter_async_context(stateless_client(self.a))
        self.api_b = await self._stack.enter_async_context(stateless_client(self.b))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    async def sign_in(self, user: uuid.UUID | None = None) -> Family:
        """A new session; a login answered 503 is tried again, as its client would
        (bounded: a replica on a busy host may miss the second it is given)."""
        user = user or uuid.uuid4()
        for _ in range(4):
            with contextlib.suppress(RevocationStateUnavailableError):
                return await self._register(user)
        return await self._register(user)

    async def _register(self, user: uuid.UUID) -> Family:
        tokens: TokenSystem = self.a.state.tokens
        pair = await tokens.service.issue_and_register(
            user_id=user, provider="google", device_id=None, user_agent=None
        )
        return Family(user, pair.access_token, pair.refresh_token)

    async def log_out(self, family: Family) -> bool:
        """POST /logout with the family's access token; a 503 is tried again (bounded).
        True once it is logged out."""
        for _ in range(200):
            response = await self.api_a.post(LOGOUT, headers=bearer(family.access))
            if response.status_code == 204:
                family.ended = True
                return True
            assert response.status_code == 503, response.text
            await asyncio.sleep(0.05)
        return False

    async def refresh_once(self, family: Family) -> int:
        response = await self.api_a.post(REFRESH, headers=refresh_header(family.refresh))
        if response.status_code == 200:
            body = response.json()
            family.access, family.refresh = body["access_token"], body["refresh_token"]
            family.rotated_at.append(time.monotonic())
        elif response.status_code != 503:
            family.refused.append(f"{response.status_code} {response.json().get('code')}")
        return response.status_code

    async def validate(self, api: httpx.AsyncClient, token: str) -> tuple[int, str]:
        response = await api.get(VALIDATE, headers=bearer(token))
        return response.status_code, response.headers.get("x-auth-error", "")

    def b_confirmed_after(self, instant: float) -> bool:
        """Whether `b`'s copy has confirmed every revocation made before `instant` (the
        bound within which a validator may not know a revocation yet: milliseconds)."""
        tokens: TokenSystem = self.b.state.tokens
        now, age = time.monotonic(), tokens.replica.age()
        return age >= 0 and now - age > instant


@pytest.fixture
def on_cluster(settings: AuthSettings, cluster: OwnRedisCluster, keys_dir: Path) -> AuthSettings:
    clustered = settings.model_copy(
        update={"redis_url": SecretStr(cluster.url), "redis_cluster": True}
    )
    return with_tokens(clustered, PREFIX, keys_dir=str(keys_dir))


def users_on_each_shard(cluster: OwnRedisCluster, count: int) -> list[uuid.UUID]:
    """`count` users whose sessions live on the masters in turn (0, 1, 2, 0, ...)."""
    nodes = cluster.slot_map()
    masters = sorted(set(nodes.values()))
    assert len(masters) == OwnRedisCluster.MASTERS
    users: list[uuid.UUID] = []
    while len(users) < count:
        user = uuid.uuid4()
        slot = key_slot(KEYS.user_sessions(str(user)).encode())
        if nodes[slot] == masters[len(users) % len(masters)]:
            users.append(user)
    return users


async def refreshing(auth: Auth, family: Family, ledger: Ledger, stop: asyncio.Event) -> None:
    for _ in range(ROUNDS):
        if stop.is_set():
            return
        async with family.lock:
            if family.ended:
                return
            status = await auth.refresh_once(family)
            ledger.refreshes[status] += 1
            if family.refused:
                return
        await asyncio.sleep(0.02)


async def logging_out(
    auth: Auth, families: list[Family], ledger: Ledger, stop: asyncio.Event
) -> None:
    """Log out every fourth family, one every 150 ms; a 503 is retried (bounded)."""
    for family in families[::4]:
        await asyncio.sleep(0.15)
        if stop.is_set():
            return
        async with family.lock:
            family.logging_out = True
            if await auth.log_out(family):
                ledger.revoked.append((family.access, time.monotonic()))
            family.logging_out = False


async def validating(
    auth: Auth, families: list[Family], ledger: Ledger, stop: asyncio.Event
) -> None:
    """Every logged-out token on `a` (it revoked them) and on `b` once its copy can know
    of them; the live families' current tokens on `b`."""
    for _ in range(ROUNDS):
        if stop.is_set():
            return
        for token, revoked_at in list(ledger.revoked):
            ledger.revoked_checks[(await auth.validate(auth.api_a, token))[0]] += 1
            if auth.b_confirmed_after(revoked_at):
                ledger.revoked_checks[(await auth.validate(auth.api_b, token))[0]] += 1
        for family in families:
            if family.ended or family.logging_out:
                continue
            status, _ = await auth.validate(auth.api_b, family.access)
            if not (family.ended or family.logging_out):
                ledger.live_checks[status] += 1
        await asyncio.sleep(0.02)


async def current_epoch(cluster: OwnRedisCluster) -> tuple[str, int]:
    """The revocation epoch in Redis: its id and when it began (ms)."""
    client = create_redis(cluster.url, cluster=True)
    try:
        async with client.pipeline() as pipe:
            pipe.hmget(KEYS.epoch, ["id", "before"])
            [(epoch, before)] = await pipe.execute()
    finally:
        await client.aclose()
    return epoch.decode(), int(before)


async def wait_for(what: str, done: object) -> None:
    deadline = time.monotonic() + BOUND_SECONDS
    while not await asyncio.to_thread(done):  # type: ignore[arg-type]
        assert time.monotonic() < deadline, f"{what} within {BOUND_SECONDS} s"
        await asyncio.sleep(0.1)


def serves(cluster: OwnRedisCluster, key: str, port: int) -> bool:
    try:
        return cluster.master_of(key) == port
    except LookupError:
        return False


async def test_a_master_dies_under_load_no_revoked_token_is_accepted_no_family_breaks(
    cluster: OwnRedisCluster, on_cluster: AuthSettings
) -> None:
    doomed = cluster.master_of(KEYS.revocations)
    heir = cluster.replica_of(doomed)
    async with Auth(on_cluster) as auth:
        families = [await auth.sign_in(u) for u in users_on_each_shard(cluster, FAMILIES)]
        logged_out = families[::4]
        on_doomed = [
            f
            for f in families
            if f not in logged_out and cluster.master_of(KEYS.user_sessions(str(f.user))) == doomed
        ]
        epoch, _ = await current_epoch(cluster)
        ledger, stop = Ledger(), asyncio.Event()
        load = [
            *(asyncio.create_task(refreshing(auth, f, ledger, stop)) for f in families),
            asyncio.create_task(logging_out(auth, families, ledger, stop)),
            asyncio.create_task(validating(auth, families, ledger, stop)),
        ]
        await asyncio.sleep(1.0)
        killed_at = time.monotonic()
        cluster.kill(doomed)
        await wait_for("the replica taking over", lambda: serves(cluster, KEYS.revocations, heir))
        took_over = time.monotonic() - killed_at
        await asyncio.to_thread(cluster.add_replica, heir)
        await asyncio.to_thread(cluster.wait_healthy)
        healthy_at = time.monotonic()
        await asyncio.sleep(1.5)
        stop.set()
        stopped_at = time.monotonic()
        await asyncio.wait_for(asyncio.gather(*load), BOUND_SECONDS)
        recovered = [f for f in on_doomed if any(healthy_at < t < stopped_at for t in f.rotated_at)]

        for family in families:  # every live family refreshes at the end
            for _ in range(100):
                if family.ended or family.refused or await auth.refresh_once(family) == 200:
                    break
                await asyncio.sleep(0.1)
        final = [
            (await auth.validate(api, token))[0]
            for token, _ in ledger.revoked
            for api in (auth.api_a, auth.api_b)
        ]
        new_epoch = (await current_epoch(cluster))[0] != epoch

    broken = {str(f.user): f.refused for f in families if f.refused}
    print(
        f"[cluster failover] replica took over {took_over:.1f} s after the kill;"
        f" refreshes {dict(ledger.refreshes)}, logged out {len(ledger.revoked)},"
        f" /validate of logged-out tokens {dict(ledger.revoked_checks)},"
        f" of live tokens {dict(ledger.live_checks)}; new epoch: {new_epoch}"
    )
    assert ledger.revoked_checks[200] == 0  # 0 revoked tokens accepted
    assert final == [401] * 2 * len(ledger.revoked)
    assert broken == {}  # 0 families broken: no refresh of a live family was refused
    assert all(f.ended or f.rotated_at[-1] > stopped_at for f in families)
    assert len(recovered) == len(on_doomed) > 0  # the dead master's families rotate again
    assert ledger.refreshes[503] > 0  # the load did run into the dead master
    assert len(ledger.revoked) == len(logged_out)  # logouts before, during and after
    # A live token is rejected only where a process saw data lost (a new epoch).
    assert new_epoch or set(ledger.live_checks) <= {200, 503}


async def test_a_shard_that_comes_back_empty_is_an_empty_redis_for_what_it_held(
    cluster: OwnRedisCluster, on_cluster: AuthSettings
) -> None:
    lost = cluster.master_of(KEYS.revocations)
    lost_replica = cluster.replica_of(lost)
    async with Auth(on_cluster) as auth:
        families = [await auth.sign_in(u) for u in users_on_each_shard(cluster, 12)]
        revoked = families[::4]
        ledger, stop = Ledger(), asyncio.Event()
        for family in revoked:
            assert await auth.log_out(family)
            ledger.revoked.append((family.access, time.monotonic()))
        live = [f for f in families if f not in revoked]
        on_lost = [f for f in live if cluster.master_of(KEYS.user_sessions(str(f.user))) == lost]
        kept = [f for f in live if f not in on_lost]
        for family in live:
            assert await auth.validate(auth.api_b, family.access) == (200, "")

        watcher = asyncio.create_task(validating(auth, [], ledger, stop))
        cluster.kill(lost)
        cluster.kill(lost_replica)
        await asyncio.sleep(1.0)
        cluster.start(lost, empty=True)
        cluster.start(lost_replica, empty=True)
        await asyncio.to_thread(cluster.wait_healthy)
        await asyncio.sleep(1.5)  # the followers notice the loss: a new epoch begins
        stop.set()
        await asyncio.wait_for(watcher, BOUND_SECONDS)

        for family in revoked:
            for api in (auth.api_a, auth.api_b):
                assert await auth.validate(api, family.access) == (401, "TOKEN_REVOKED")
        for family in live:  # issued before the loss: rejected, as after an empty Redis
            assert await auth.validate(auth.api_b, family.access) == (401, "TOKEN_REVOKED")
        for family in on_lost:  # their sessions were lost with the shard: sign in again
            assert await auth.refresh_once(family) == 401
            assert family.refused == ["401 TOKEN_REVOKED"]
        _, began_ms = await current_epoch(cluster)
        await asyncio.sleep(max(0.0, math.ceil(began_ms / 1000) - time.time()))
        for family in kept:  # the other shards kept theirs: they refresh on
            assert await auth.refresh_once(family) == 200
            assert await auth.validate(auth.api_b, family.access) == (200, "")
        fresh = await auth.sign_in()
        assert await auth.validate(auth.api_b, fresh.access) == (200, "")

    print(
        f"[cluster shard loss] /validate of logged-out tokens while the shard was lost:"
        f" {dict(ledger.revoked_checks)}; {len(on_lost)} sessions lost, {len(kept)} kept"
    )
    assert ledger.revoked_checks[200] == 0
    assert on_lost
    assert kept
