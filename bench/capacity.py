"""Capacity figures: Redis memory per session and per revocation, the revocation
stream's cap, and the verified-token caches at capacity.

Not a test: it writes through auth's own adapters (`TokenSystem.build`, wired as auth's
setup wires them) to the local Redis and prints figures.

    dist/export/python/virtualenvs/python-default/3.11.7/bin/python bench/capacity.py \\
        [--sessions 50000] [--revocations 50000] [--stream-maxlen 100000]

Every key it writes lives under one random `bench:capacity:` prefix, a part of it per
step, deleted at the end; no other key is read or written. Memory is `MEMORY USAGE
<key> SAMPLES 0` (every element counted) summed over the keys a SCAN of the part finds,
so other data on a shared Redis does not count; for the sessions the change of
`INFO memory` used_memory is printed beside it (it adds the keyspace's own entries).

1. Sessions: `--sessions` logins (`TokenService.issue_and_register`: two signed tokens,
   the session hash, the user's set of sessions) with the user agents and devices of a
   Korean audience (KakaoTalk and Naver in-app browsers, Samsung Internet, Chrome,
   Safari, Whale), `--sessions-per-user` sessions per user; then one refresh of each
   (`TokenService.rotate`), the grace window held open so that every grace pair is there.
2. Revocations, `--revocations` of each kind in a part of its own: access tokens denied
   (logout's jti denial), sessions ended (logout, revoke-session, a reused refresh token)
   and users revoked (revoke-all, deletion), each with its revocation stream; and the
   copy a validator bootstraps from them (`RevocationReplica`, tracemalloc).
3. The stream's cap: jti denials published past `--stream-maxlen`
   (`AUTH_TOKEN__REVOCATION_STREAM_MAXLEN`, approximate trimming), XLEN and memory
   sampled as they go.
4. Verified-token caches, each in a fresh process (started first, beside steps 1-3):
   auth's (`AUTH_TOKEN__VERIFY_CACHE_SIZE`) filled to capacity by verifying access
   tokens of real logins (`issue_pair`), and users' (`USERS_ACCESS_TOKEN__VERIFY_CACHE_SIZE`,
   auth's key pinned) with the same tokens: RSS empty, full, and after a second capacity
   of new tokens (every entry replaced); bytes per entry by tracemalloc, filling a
   second cache.

Then a summary of what scales with what.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import os
import random
import re
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvloop
from auth_token_system import auth_token_system
from redis.asyncio import Redis
from validate_bench import ROOT, auth_env, key_directory

sys.path[:0] = [str(ROOT / "apps/users/src")]

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from auth.setup.token_system import TokenSystem

MB = 1_000_000
PER = 100_000  # figures are given per this many sessions or revocations
COUNT = 50_000  # default sessions and revocations of each kind: under 2 minutes of CPU
BATCH = 64  # adapter calls in flight at once: one per connection of auth's Redis pool
GRACE_SECONDS = 300  # the grace window during the run: longer than the run, so none expires
STREAM_SAMPLES = 12

# (user agent, weight): what a Korean audience signs in from.
USER_AGENTS = (
    (
        "Mozilla/5.0 (Linux; Android 13; SM-G991N Build/TP1A.220624.014; wv)"
        " AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.193"
        " Mobile Safari/537.36;KAKAOTALK 2410430",
        20,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.4.5",
        12,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Mobile/15E148 NAVER(inapp; search; 2000; 12.1.2; 14PRO)",
        8,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko)"
        " SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
        15,
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/124.0.0.0 Mobile Safari/537.36",
        15,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
        15,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/124.0.0.0 Safari/537.36",
        8,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/122.0.0.0 Whale/3.25.232.19 Safari/537.36",
        4,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        3,
    ),
)
PROVIDERS = ("kakao", "kakao", "naver", "google")
PER_SESSION = {  # auth's keys of a type: what they are
    b"hash": "session",
    b"set": "user's sessions",
    b"string": "grace pair",
}
REVOCATION_KINDS = {
    "jti": "access tokens denied (logout)",
    "sid": "sessions ended (logout, revoke-session, reuse)",
    "user": "users revoked (revoke-all, deletion)",
}


@dataclass
class Usage:
    keys: int = 0
    bytes: int = 0


Memory = dict[str, Usage]  # kind of key -> its keys and bytes


def total(memory: Memory) -> int:
    return sum(usage.bytes for usage in memory.values())


def each(size: float, count: int) -> str:
    """`size` bytes for `count` things: per thing and per 100k."""
    return f"{size / count:7.0f} B each = {size * PER / count / MB:7.1f} MB per 100k"


# --- Redis ---------------------------------------------------------------------------


async def key_batches(redis: Redis, prefix: str, size: int = 1000) -> AsyncIterator[list[bytes]]:
    """Every key under `prefix` (SCAN), in batches."""
    if re.search(r"[*?\[\]\\]", prefix):
        raise ValueError("a prefix with glob characters would match other keys")
    batch: list[bytes] = []
    async for key in redis.scan_iter(match=f"{prefix}*", count=size):
        batch.append(key)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def memory_by_kind(redis: Redis, prefix: str) -> Memory:
    """MEMORY USAGE (SAMPLES 0) of every key under `prefix`, summed per kind: auth's
    name for a key that exists once per prefix (`singletons`), else what its Redis type
    is in auth (`PER_SESSION`); with the key's encoding (`OBJECT ENCODING`)."""
    names = singletons(prefix)
    memory: Memory = defaultdict(Usage)
    async for batch in key_batches(redis, prefix):
        async with redis.pipeline(transaction=False) as pipe:
            for key in batch:
                pipe.type(key)
                pipe.object("encoding", key)
                pipe.memory_usage(key, samples=0)
            replies = await pipe.execute()
        for key, kind, encoding, size in zip(
            batch, replies[::3], replies[1::3], replies[2::3], strict=True
        ):
            if size is None:
                continue  # expired since the SCAN
            name = names.get(key.decode()) or PER_SESSION.get(kind, kind.decode())
            usage = memory[f"{name} [{encoding.decode()}]"]
            usage.keys += 1
            usage.bytes += size
    return dict(memory)


def singletons(prefix: str) -> dict[str, str]:
    """auth's keys that exist once per prefix: name -> kind."""
    from auth.infrastructure.persistence_redis.keys import RedisKeys

    keys = RedisKeys(prefix)
    return {
        keys.epoch: "epoch",
        keys.revocations: "revocation stream",
        keys.denied_jtis: "deny:jti",
        keys.denied_sessions: "deny:sid",
        keys.revoked_before: "revoked-before",
        keys.revoked_before_until: "revoked-before:until",
    }


def stream_key(prefix: str) -> str:
    from auth.infrastructure.persistence_redis.keys import RedisKeys

    return RedisKeys(prefix).revocations


async def used_memory(redis: Redis) -> int:
    return int((await redis.info("memory"))["used_memory"])


async def delete_prefix(redis: Redis, prefix: str) -> int:
    """UNLINK every key under `prefix`; how many there were."""
    deleted = 0
    async for batch in key_batches(redis, prefix):
        async with redis.pipeline(transaction=False) as pipe:
            for key in batch:
                pipe.unlink(key)
            deleted += sum(await pipe.execute())
    return deleted


async def in_batches(count: int, call: Callable[[int], Awaitable[Any]]) -> list[Any]:
    """`call(0)` ... `call(count - 1)`, `BATCH` in flight at a time."""
    results: list[Any] = []
    for start in range(0, count, BATCH):
        results += await asyncio.gather(*(call(n) for n in range(start, min(count, start + BATCH))))
    return results


def line(label: str, size: float, count: int, unit: str, keys: int | None = None) -> None:
    counted = f"{keys:>9,} keys" if keys is not None else ""
    print(f"    {label:<34}{counted:>14} {size / MB:7.1f} MB   per {unit} {each(size, count)}")


def report(title: str, memory: Memory, count: int, unit: str) -> None:
    print(f"  {title}:")
    for kind, usage in sorted(memory.items(), key=lambda item: -item[1].bytes):
        line(kind, usage.bytes, count, unit, usage.keys)
    line("all", total(memory), count, unit)


# --- verified-token caches (a fresh process each) -------------------------------------


def rss_bytes() -> int:
    found = re.search(r"^VmRSS:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    return int(found.group(1)) * 1024 if found else 0


def mint(tokens: TokenSystem, count: int) -> list[str]:
    """Access tokens of `count` new logins, signed by auth's issuer."""
    from datetime import UTC, datetime

    from kernel.ids import random_token

    now = datetime.now(UTC)
    return [
        tokens.issuer.issue_pair(
            user_id=uuid.uuid4(),
            provider=PROVIDERS[n % len(PROVIDERS)],
            session_id=random_token(16),
            now=now,
            auth_time=int(now.timestamp()),
        ).access_token
        for n in range(count)
    ]


async def fill(
    verify: Callable[[Any, str], Awaitable[Any]],
    verifiers: tuple[Any, Any, Any],
    tokens: list[list[str]],
) -> dict[str, int]:
    """`verifiers`: one without a cache (warms up on tokens[0]), one whose process RSS is
    read empty, full of tokens[1], then full of tokens[2], one whose entries (tokens[3])
    tracemalloc counts."""
    uncached, measured, traced = verifiers
    for token in tokens[0]:
        await verify(uncached, token)
    rss = []
    for batch in ([], tokens[1], tokens[2]):
        for token in batch:
            await verify(measured, token)
        gc.collect()
        rss.append(rss_bytes())
    tracemalloc.start()
    for token in tokens[3]:
        await verify(traced, token)
    gc.collect()
    traced_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {
        "capacity": len(tokens[1]),
        "rss_empty": rss[0],
        "rss_full": rss[1],
        "rss_replaced": rss[2],
        "traced": traced_bytes,
    }


def measure_verify_cache(service: str, env: dict[str, str]) -> dict[str, int]:
    """The verified-token cache of `service` (auth or users) at capacity (see `fill`);
    {} when it is disabled. Run in a process of its own."""
    return asyncio.run(_measure_verify_cache(service, env))


async def _measure_verify_cache(service: str, env: dict[str, str]) -> dict[str, int]:
    import httpx

    from auth.domain.token.token_type import TokenType
    from auth.setup.settings import AuthSettings
    from users.setup.settings import UsersSettings
    from users.setup.token_verifier import build_key_source, build_verifier

    async with (
        auth_token_system(env, verify_cache_size=0) as uncached,
        auth_token_system(env) as measured,
        auth_token_system(env) as traced,
    ):
        public_key = measured.keys.public_keys[measured.keys.signing_kid]
        users = UsersSettings(
            profile="local",
            access_token={"public_key_pem": pem(public_key)},  # type: ignore[arg-type]
        ).access_token
        capacity = (
            AuthSettings(profile="local").token.verify_cache_size
            if service == "auth"
            else users.verify_cache_size
        )
        if not capacity:
            return {}
        tokens = [mint(measured, n) for n in (256, capacity, capacity, capacity)]
        if service == "auth":  # what /validate calls
            return await fill(
                lambda system, token: system.issuer.verify_concurrently(token, TokenType.ACCESS),
                (uncached, measured, traced),
                tokens,
            )
        async with httpx.AsyncClient() as http:
            keys = build_key_source(users, http)  # the pinned key
            verifiers = (
                build_verifier(users.model_copy(update={"verify_cache_size": 0}), keys),
                build_verifier(users, keys),
                build_verifier(users, keys),
            )
            return await fill(lambda verifier, token: verifier.verify(token), verifiers, tokens)


def pem(public_key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def verify_caches(env: dict[str, str]) -> dict[str, dict[str, int]]:
    figures = {}
    for service in ("auth", "users"):
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            figures[service] = pool.submit(measure_verify_cache, service, env).result()
    return figures


# --- sessions -------------------------------------------------------------------------------


@dataclass
class SessionFigures:
    after_logins: Memory
    after_refreshes: Memory
    logins_used_memory: int  # INFO used_memory change
    refreshes_used_memory: int
    logins_seconds: float
    refreshes_seconds: float


def client_ip(rng: random.Random) -> str:
    """A client address: IPv6 for a third (mobile networks), else IPv4."""
    if rng.random() < 1 / 3:
        return "2001:2d8:" + ":".join(f"{rng.getrandbits(16):x}" for _ in range(6))
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


async def sessions(
    env: dict[str, str], redis: Redis, count: int, per_user: float
) -> SessionFigures:
    """`count` logins, then one refresh of each."""
    from auth.application.token.ports.session_store import RotationStatus
    from auth.domain.token.claims import TokenClaims
    from auth.domain.token.token_type import TokenType
    from auth.infrastructure.user_agent.ua_parser_user_agent_parser import (
        UaParserUserAgentParser,
    )

    prefix = env["AUTH_REDIS_KEY_PREFIX"]
    rng = random.Random(15)
    agents = [agent for agent, weight in USER_AGENTS for _ in range(weight)]
    # What login records of each user agent (`UserAgentParser.describe`), parsed once each.
    described = {agent: UaParserUserAgentParser().describe(agent) for agent, _ in USER_AGENTS}
    users = [uuid.uuid4() for _ in range(max(1, round(count / per_user)))]
    async with auth_token_system(env, refresh_grace_seconds=GRACE_SECONDS) as tokens:
        await tokens.start()  # as a server starts: creates the revocation epoch
        await tokens.stop()
        base = await used_memory(redis)

        def login(n: int) -> Awaitable[Any]:
            agent = rng.choice(agents)
            return tokens.service.issue_and_register(
                user_id=users[n % len(users)],
                provider=PROVIDERS[n % len(PROVIDERS)],
                device_id=str(uuid.uuid4()),
                user_agent=agent,
                ip_address=client_ip(rng),
                described=described[agent],
            )

        started = time.perf_counter()
        pairs = await in_batches(count, login)
        logins_seconds = time.perf_counter() - started
        after_logins = await memory_by_kind(redis, prefix)
        logins_used_memory = await used_memory(redis) - base
        signed_in = int(time.time())

        def refresh(n: int) -> Awaitable[Any]:
            """What `/refresh` rotates once it has verified the refresh token."""
            pair = pairs[n]
            claims = TokenClaims(
                token_type=TokenType.REFRESH,
                user_id=users[n % len(users)],
                session_id=pair.session_id,
                jti=pair.refresh_jti,
                provider=PROVIDERS[n % len(PROVIDERS)],
                issued_at=signed_in,
                expires_at=int(pair.refresh_expires_at.timestamp()),
                auth_time=signed_in,
            )
            return tokens.service.rotate(claims)

        started = time.perf_counter()
        rotations = await in_batches(count, refresh)
        refreshes_seconds = time.perf_counter() - started
        failed = sum(rotation.status is not RotationStatus.ROTATED for rotation in rotations)
        if failed:
            raise SystemExit(f"{failed} refreshes did not rotate")
        return SessionFigures(
            after_logins=after_logins,
            after_refreshes=await memory_by_kind(redis, prefix),
            logins_used_memory=logins_used_memory,
            refreshes_used_memory=await used_memory(redis) - base,
            logins_seconds=logins_seconds,
            refreshes_seconds=refreshes_seconds,
        )


# --- revocations ----------------------------------------------------------------------------


def revoker(tokens: TokenSystem, kind: str, access_ttl: int) -> Callable[[int], Awaitable[Any]]:
    """One new revocation of `kind` (jti, sid or user) per call, through auth's token
    service, as the use cases named in `REVOCATION_KINDS` make them."""
    from auth.domain.token.claims import TokenClaims
    from auth.domain.token.token_type import TokenType
    from kernel.ids import random_token

    now = int(time.time())

    def revoke(_: int) -> Awaitable[Any]:
        if kind == "jti":  # the access token logout was given, until it expires
            claims = TokenClaims(
                token_type=TokenType.ACCESS,
                user_id=uuid.uuid4(),
                session_id=random_token(16),
                jti=random_token(16),
                provider="kakao",
                issued_at=now,
                expires_at=now + access_ttl,
                auth_time=now,
            )
            return tokens.service.deny_access_token(claims)
        if kind == "sid":
            return tokens.service.end_session(uuid.uuid4(), random_token(16))
        return tokens.service.revoke_user(uuid.uuid4())

    return revoke


async def revocations(env: dict[str, str], kind: str, count: int, access_ttl: int) -> float:
    """`count` revocations of `kind`; the elapsed seconds."""
    async with auth_token_system(env) as tokens:
        await tokens.start()  # creates the revocation epoch
        await tokens.stop()
        started = time.perf_counter()
        await in_batches(count, revoker(tokens, kind, access_ttl))
        return time.perf_counter() - started


async def replica_bytes(env: dict[str, str]) -> int:
    """Python heap that a validator's copy of these revocations takes: a token system's
    start (bootstrap from Redis, then follow the stream) traced by tracemalloc."""
    async with auth_token_system(env) as tokens:
        gc.collect()
        tracemalloc.start()
        try:
            await tokens.start()
            if not await tokens.follower.wait_bootstrapped(60):  # start waits 2 s at most
                raise SystemExit("the revocation copy did not bootstrap")
            await tokens.stop()
            gc.collect()
            return tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()


async def stream_cap(
    env: dict[str, str], redis: Redis, maxlen: int, published: int, access_ttl: int
) -> tuple[list[tuple[int, int, int]], float]:
    """`published` jti denials, the stream capped at `maxlen`: (published so far, XLEN,
    MEMORY USAGE of the stream) at `STREAM_SAMPLES` points, and the elapsed seconds."""
    stream = stream_key(env["AUTH_REDIS_KEY_PREFIX"])
    points: list[tuple[int, int, int]] = []
    async with auth_token_system(env, revocation_stream_maxlen=maxlen) as tokens:
        await tokens.start()
        await tokens.stop()
        deny = revoker(tokens, "jti", access_ttl)
        started = time.perf_counter()
        done = 0
        while done < published:
            chunk = min(-(-published // STREAM_SAMPLES), published - done)
            await in_batches(chunk, deny)
            done += chunk
            size = await redis.memory_usage(stream, samples=0)
            points.append((done, await redis.xlen(stream), size))
        return points, time.perf_counter() - started


# --- main -------------------------------------------------------------------------------------


@dataclass
class Revoked:
    """Bytes per revocation of one kind: its denial, its stream entry, a validator's copy."""

    denial: float
    stream_entry: float
    replica: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=COUNT)
    parser.add_argument("--sessions-per-user", type=float, default=1.5)
    parser.add_argument(
        "--revocations", type=int, default=COUNT, help="revocations of each kind (jti, sid, user)"
    )
    parser.add_argument(
        "--stream-maxlen",
        type=int,
        default=None,
        help="the cap of step 3 (default: AUTH_TOKEN__REVOCATION_STREAM_MAXLEN's value)",
    )
    parser.add_argument(
        "--stream-publish", type=float, default=1.2, help="step 3 publishes this many caps"
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    args = parser.parse_args()
    began = time.perf_counter()
    uvloop.run(run(args))  # the loop auth's servers run on
    print(f"\nelapsed {time.perf_counter() - began:.1f} s")


async def run(args: argparse.Namespace) -> None:
    from auth.setup.settings import AuthSettings

    token_settings = AuthSettings(profile="local").token  # the defaults and any AUTH_ variables
    access_ttl = token_settings.access_ttl_seconds
    maxlen = args.stream_maxlen or token_settings.revocation_stream_maxlen
    prefix = f"bench:capacity:{uuid.uuid4().hex[:10]}:"
    redis = Redis.from_url(args.redis_url)
    print(
        f"Redis {(await redis.info('server'))['redis_version']} at {args.redis_url}, keys under"
        f" {prefix}; access token lifetime {access_ttl} s, revocation stream cap"
        f" {token_settings.revocation_stream_maxlen:,}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="eco2-capacity-") as tmp:
        keys_dir = key_directory(Path(tmp))

        def env(part: str) -> dict[str, str]:
            return auth_env(keys_dir, args.redis_url, f"{prefix}{part}:")

        # In processes of their own: they run beside the Redis steps.
        measuring_caches = asyncio.create_task(asyncio.to_thread(verify_caches, env("caches")))
        try:
            sessions_figures = await step_sessions(
                env("sessions"), redis, args.sessions, args.sessions_per_user
            )
            revoked = {
                kind: await step_revocations(
                    env(f"revoked-{kind}"), redis, kind, args.revocations, access_ttl
                )
                for kind in REVOCATION_KINDS
            }
            plateau = await step_stream(
                env("stream"), redis, maxlen, int(maxlen * args.stream_publish), access_ttl
            )
            caches = step_caches(await measuring_caches)
        finally:
            deleted = await delete_prefix(redis, prefix)
            await redis.aclose()
            print(f"\ndeleted {deleted:,} keys under {prefix}")
    summary(sessions_figures, args.sessions, revoked, access_ttl, plateau, maxlen, caches)


def step_caches(figures: dict[str, dict[str, int]]) -> dict[str, tuple[int, float]]:
    """Print step 4; each service's cache: (capacity, bytes per entry)."""
    print("\n4. verified-token caches at capacity (a fresh process each)")
    caches: dict[str, tuple[int, float]] = {}
    for service, f in figures.items():
        if not f:
            print(f"  {service}: verified-token cache disabled")
            continue
        capacity = f["capacity"]
        caches[service] = (capacity, f["traced"] / capacity)
        print(
            f"  {service}: {capacity:,} entries: process RSS {f['rss_empty'] / MB:.1f} MB empty,"
            f" {f['rss_full'] / MB:.1f} MB full (+{(f['rss_full'] - f['rss_empty']) / MB:.1f} MB),"
            f" {f['rss_replaced'] / MB:.1f} MB once {capacity:,} more new tokens replaced every"
            f" entry; tracemalloc {f['traced'] / MB:.1f} MB = {f['traced'] / capacity:.0f} B"
            " per entry"
        )
    return caches


async def step_sessions(
    env: dict[str, str], redis: Redis, count: int, per_user: float
) -> SessionFigures:
    print(f"\n1. {count:,} logins ({per_user} sessions per user), then one refresh each")
    figures = await sessions(env, redis, count, per_user)
    print(
        f"  logins {figures.logins_seconds:.1f} s ({count / figures.logins_seconds:,.0f}/s),"
        f" refreshes {figures.refreshes_seconds:.1f} s"
        f" ({count / figures.refreshes_seconds:,.0f}/s)"
    )
    report("after the logins", figures.after_logins, count, "session")
    line("INFO used_memory change (*)", figures.logins_used_memory, count, "session")
    report(
        "after one refresh each (grace pairs present)", figures.after_refreshes, count, "session"
    )
    line("INFO used_memory change (*)", figures.refreshes_used_memory, count, "session")
    print(
        "    (*) adds the keyspace's own entries (key and expiry tables) and anything else that"
        " changed on this Redis meanwhile"
    )
    return figures


async def step_revocations(
    env: dict[str, str], redis: Redis, kind: str, count: int, access_ttl: int
) -> Revoked:
    label = REVOCATION_KINDS[kind]
    print(f"\n2. {count:,} {label}", flush=True)
    seconds = await revocations(env, kind, count, access_ttl)
    prefix = env["AUTH_REDIS_KEY_PREFIX"]
    memory = await memory_by_kind(redis, prefix)
    xlen = await redis.xlen(stream_key(prefix))
    replica = await replica_bytes(env)
    print(f"  {seconds:.1f} s ({count / seconds:,.0f}/s); stream length {xlen:,}")
    report("in Redis", memory, count, "revocation")
    line("a validator's copy (tracemalloc)", replica, count, "revocation")
    stream = sum(u.bytes for name, u in memory.items() if name.startswith("revocation stream"))
    return Revoked((total(memory) - stream) / count, stream / xlen, replica / count)


async def step_stream(
    env: dict[str, str], redis: Redis, maxlen: int, published: int, access_ttl: int
) -> tuple[int, int]:
    """Step 3; the stream's last length and memory."""
    print(f"\n3. {published:,} access tokens denied, the stream capped at {maxlen:,}", flush=True)
    points, seconds = await stream_cap(env, redis, maxlen, published, access_ttl)
    print(f"  {seconds:.1f} s ({published / seconds:,.0f}/s)")
    for done, xlen, size in points:
        print(
            f"  published {done:>9,}   XLEN {xlen:>9,}   stream {size / MB:6.1f} MB"
            f" ({size / xlen:.0f} B per entry)"
        )
    return points[-1][1], points[-1][2]


def summary(
    sessions_figures: SessionFigures,
    sessions_count: int,
    revoked: dict[str, Revoked],
    access_ttl: int,
    plateau: tuple[int, int],
    maxlen: int,
    caches: dict[str, tuple[int, float]],
) -> None:
    session = total(sessions_figures.after_logins) / sessions_count
    grace = [u for kind, u in sessions_figures.after_refreshes.items() if kind.startswith("grace")]
    grace_keys = sum(u.keys for u in grace)
    grace_each = sum(u.bytes for u in grace) / grace_keys if grace_keys else 0.0
    logout = revoked["jti"].denial + revoked["sid"].denial
    print("\nWhat scales with what")
    print(
        f"- Redis ∝ live sessions: {session:,.0f} B per session (its hash and its share of its"
        f" user's set) = {session * PER / MB:.0f} MB per 100k, for the session's life (the"
        f" refresh lifetime, renewed by every refresh); plus a grace pair of {grace_each:,.0f} B"
        " per refresh in the last AUTH_TOKEN__REFRESH_GRACE_SECONDS (∝ refreshes/s x grace)."
    )
    print(
        f"- Redis ∝ revocations within the access lifetime ({access_ttl} s): a denial costs "
        + ", ".join(f"{figures.denial:,.0f} B per {kind}" for kind, figures in revoked.items())
        + f" (a logout denies a jti and a sid: {logout:,.0f} B), dropped once the access"
        " tokens it concerns have expired; each is also one stream entry ("
        + ", ".join(f"{figures.stream_entry:,.0f} B" for figures in revoked.values())
        + ")."
    )
    xlen, stream_bytes = plateau
    print(
        f"- The revocation stream is bounded by its cap, not by traffic: {xlen:,} entries,"
        f" {stream_bytes / MB:.1f} MB at a cap of {maxlen:,} (approximate trimming keeps it"
        " just above the cap)."
    )
    print(
        "- Validators ∝ API traffic in CPU (a signature check per token not seen before, a"
        " cache hit otherwise); in memory, the verified-token cache, bounded ("
        + ", ".join(
            f"{service} {capacity:,} x {each_entry:,.0f} B = {capacity * each_entry / MB:.1f} MB"
            for service, (capacity, each_entry) in caches.items()
        )
        + " per process, whatever the traffic) plus auth's copy of the revocations ("
        + ", ".join(f"{figures.replica:,.0f} B per {kind}" for kind, figures in revoked.items())
        + " per process: ∝ revocations within the access lifetime, like Redis)."
    )


if __name__ == "__main__":
    main()
