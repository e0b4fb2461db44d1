"""How fast a logout on one auth replica reaches another (bounded staleness, default 1 s).

Not a test: it starts two auth processes sharing Redis and one signing key, logs
sessions out on replica A and polls `/validate` on replica B until it rejects the
token. Prints the propagation delay (p50, p95, max), how many tokens A still
accepted after its logout returned (must be 0) and how many took B longer than the
bound (must be 0).

    dist/export/python/virtualenvs/python-default/3.11.7/bin/python \\
        bench/revocation_propagation.py [--sessions 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from auth_token_system import auth_token_system
from validate_bench import (
    VALIDATE_PATH,
    Server,
    delete_namespace,
    free_port,
    write_key,
)

LOGOUT_PATH = "/api/v1/auth/logout"
POLL_SECONDS = 0.002


async def login(env: dict[str, str], count: int) -> list[str]:
    """Sessions registered the way a login does; returns their access tokens."""
    async with auth_token_system(env) as tokens:
        pairs = await asyncio.gather(
            *(
                tokens.service.issue_and_register(
                    user_id=uuid.uuid4(), provider="bench", device_id=None, user_agent="bench"
                )
                for _ in range(count)
            )
        )
        return [pair.access_token for pair in pairs]


async def status(client: httpx.AsyncClient, token: str) -> int:
    response = await client.get(VALIDATE_PATH, headers={"Authorization": f"Bearer {token}"})
    return response.status_code


async def measure(a: str, b: str, tokens: list[str], bound: float) -> None:
    delays: list[float] = []
    accepted_by_a = 0
    async with httpx.AsyncClient(base_url=a) as on_a, httpx.AsyncClient(base_url=b) as on_b:
        for token in tokens:
            if await status(on_b, token) != 200:
                raise SystemExit("replica B rejected a fresh token")
            logout = await on_a.post(LOGOUT_PATH, headers={"Authorization": f"Bearer {token}"})
            if logout.status_code != 204:
                raise SystemExit(f"logout answered {logout.status_code}")
            returned = time.perf_counter()
            if await status(on_a, token) == 200:
                accepted_by_a += 1
            while await status(on_b, token) == 200:
                if time.perf_counter() - returned > 10:
                    raise SystemExit("replica B still accepts a token 10 s after logout")
                await asyncio.sleep(POLL_SECONDS)
            delays.append(time.perf_counter() - returned)
    ms = sorted(d * 1000 for d in delays)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    print(f"logouts on A, polled on B every {POLL_SECONDS * 1000:.0f} ms: {len(ms)}")
    print(
        f"propagation to B: p50 {statistics.median(ms):.1f} ms   p95 {p95:.1f} ms   "
        f"max {ms[-1]:.1f} ms   (bound {bound * 1000:.0f} ms)"
    )
    print(f"accepted by A after its logout returned: {accepted_by_a}")
    print(f"slower than the bound on B: {sum(d > bound for d in delays)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--staleness", type=float, default=1.0)
    args = parser.parse_args()

    prefix = f"bench:{uuid.uuid4().hex[:10]}:"
    with tempfile.TemporaryDirectory() as keys:
        write_key(Path(keys))
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(sys.path),
            "AUTH_PROFILE": "local",
            "AUTH_REDIS_URL": args.redis_url,
            "AUTH_REDIS_KEY_PREFIX": prefix,
            "AUTH_TOKEN__KEYS_DIR": keys,
            "AUTH_TOKEN__DENYLIST_STALENESS_SECONDS": str(args.staleness),
            "AUTH_LOG_LEVEL": "WARNING",
            "AUTH_RATE_LIMITS__ENABLED": "false",  # every logout comes from one address
        }
        servers = [Server("auth.setup.app:create_app", free_port(), 1, env) for _ in range(2)]
        try:
            for server in servers:
                server.wait_ready("/health")
            tokens = asyncio.run(login(env, args.sessions))
            a, b = (f"http://127.0.0.1:{server.port}" for server in servers)
            asyncio.run(measure(a, b, tokens, args.staleness))
        finally:
            for server in servers:
                server.stop()
            print(f"cleaned up {asyncio.run(delete_namespace(args.redis_url, prefix))} Redis keys")


if __name__ == "__main__":
    main()
