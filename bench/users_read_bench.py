"""Benchmark of users' read routes against the raw ASGI and bare FastAPI ceilings.

Not a test: it starts servers, drives them with wrk and prints figures.

    dist/export/python/virtualenvs/python-default/3.11.7/bin/python bench/users_read_bench.py

Steps: create a throwaway PostgreSQL database with users' schema; write an Ed25519
key and pin its public half in users (`USERS_ACCESS_TOKEN__PUBLIC_KEY_PEM`); start
the raw ASGI ceiling, the bare FastAPI route and the users app with the same uvicorn
settings; create `--users` accounts through users' internal API (each gets the
default character) and sign one access token per account with the key users trusts;
run wrk against every target in alternating rounds (a Lua script rotates through the
tokens); print requests/s, p50 and p99 of every round, the medians, their ratios to
both ceilings and the users server's RSS at the end. The database is dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

from validate_bench import (
    ROOT,
    SOURCE_PATHS,
    Figures,
    Server,
    describe,
    ensure_wrk,
    free_port,
    key_directory,
    lua_script,
    median,
    run_wrk,
)

SOURCE_PATHS.append(ROOT / "apps/users/src")
sys.path.append(str(ROOT / "apps/users/src"))

from ceilings import BARE_FASTAPI, RAW_ASGI, ratios, start_ceilings  # noqa: E402

IDENTITIES_PATH = "/internal/v1/identities"
ROUTES = {
    "users GET /me": "/api/v1/users/me",
    "users GET /me/characters": "/api/v1/users/me/characters",
    "users GET .../ownership": "/api/v1/users/me/characters/char-eco/ownership",
}


def public_pem(keys_dir: Path) -> str:
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        PublicFormat,
        load_pem_private_key,
    )

    [pem] = keys_dir.glob("*.pem")
    private = load_pem_private_key(pem.read_bytes(), None)
    return (
        private.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    )


def mint_access_tokens(keys_dir: Path, user_ids: list[uuid.UUID]) -> list[str]:
    """One access token per user, signed with the key users trusts (auth's issuer)."""
    from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
    from auth.infrastructure.security.key_set import load_key_set
    from kernel.clock import SystemClock

    keys = load_key_set(
        keys_dir=keys_dir,
        signing_kid=None,
        signing_key_pem=None,
        public_keys_pem=None,
        allow_ephemeral=False,
    )
    clock = SystemClock()
    issuer = Ed25519TokenIssuer(
        keys,
        issuer="eco2-auth",
        audience="eco2-api",
        access_ttl=timedelta(hours=1),
        refresh_ttl=timedelta(days=1),
        clock=clock,
    )
    return [
        issuer.issue_pair(
            user_id=user_id, provider="kakao", session_id=uuid.uuid4().hex, now=clock.now()
        ).access_token
        for user_id in user_ids
    ]


async def create_users(base_url: str, service_token: str, count: int) -> list[uuid.UUID]:
    """Accounts created through the internal identity API, as auth's login does."""
    import httpx

    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:

        async def one() -> uuid.UUID:
            response = await client.post(
                IDENTITIES_PATH,
                headers={"X-Service-Token": service_token},
                json={"provider": "kakao", "provider_user_id": uuid.uuid4().hex},
            )
            response.raise_for_status()
            return uuid.UUID(response.json()["user_id"])

        ids: list[uuid.UUID] = []
        for start in range(0, count, 50):
            ids += await asyncio.gather(*(one() for _ in range(min(50, count - start))))
        return ids


def check_routes(base_url: str, token: str) -> None:
    """Each route answers 200 to one request first (also warms the pool before wrk)."""
    import httpx

    with httpx.Client(base_url=base_url, timeout=30) as client:
        for path in ROUTES.values():
            response = client.get(path, headers={"Authorization": f"Bearer {token}"})
            if response.status_code != 200:
                raise SystemExit(f"GET {path} answered {response.status_code}: {response.text}")


def warm_up(wrk: str, url: str, script: Path | None, threads: int, connections: int) -> None:
    """3 s of load whose figures are not kept (a cold server may answer none in time)."""
    command = [wrk, f"-t{threads}", f"-c{connections}", "-d3s"]
    subprocess.run([*command, *(["-s", str(script)] if script else []), url], check=True,
                   capture_output=True)  # fmt: skip


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    parser.add_argument("--users", type=int, default=2000, help="accounts (one token each)")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    from servicekit.migrations import upgrade
    from testkit.databases import temporary_database
    from users.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
    from users.infrastructure.persistence_postgres.registry import SCHEMA

    wrk = ensure_wrk()
    service_token = secrets.token_urlsafe(32)
    wrk_args = {"threads": args.threads, "connections": args.connections}
    with (
        tempfile.TemporaryDirectory(prefix="eco2-bench-") as tmp,
        temporary_database(args.postgres_url, "bench_users_read") as database,
    ):
        upgrade(SCRIPT_LOCATION, database, SCHEMA)
        work = Path(tmp)
        keys_dir = key_directory(work)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(str(p) for p in SOURCE_PATHS),
            "USERS_PROFILE": "local",
            "USERS_DATABASE_URL": database,
            "USERS_INTERNAL_API_TOKEN": service_token,
            "USERS_ACCESS_TOKEN__PUBLIC_KEY_PEM": public_pem(keys_dir),
            "USERS_LOG_LEVEL": "WARNING",
            # The accounts are created as fast as the internal API answers; its limit per
            # calling service (200/second by default) would refuse them. The read routes
            # measured here are not rate limited.
            "USERS_RATE_LIMITS__INTERNAL_IDENTITY__PER_SERVICE": "off",
        }
        print(
            f"settings: uvicorn uvloop+httptools, {args.workers} worker(s); wrk {args.threads}"
            f" threads, {args.connections} connections, {args.seconds}s x {args.rounds} rounds",
            flush=True,
        )
        ceilings = start_ceilings(args.workers, env)
        users = Server("users.setup.app:create_app", free_port(), args.workers, env)
        try:
            users.wait_ready("/health")
            base = f"http://127.0.0.1:{users.port}"
            print(f"creating {args.users} accounts through {IDENTITIES_PATH} ...", flush=True)
            user_ids = asyncio.run(create_users(base, service_token, args.users))
            tokens = mint_access_tokens(keys_dir, user_ids)
            check_routes(base, tokens[0])
            script = lua_script(
                work,
                "access",
                tokens,
                method="GET",
                header="Authorization",
                threads=args.threads,
            )
            targets: dict[str, tuple[str, Path | None]] = {
                name: (url, None) for name, (_, url) in ceilings.items()
            }
            targets |= {name: (base + path, script) for name, path in ROUTES.items()}
            for url, target_script in targets.values():
                warm_up(wrk, url, target_script, args.threads, args.connections)
            # Alternate, so noise from other work on the machine hits every target alike.
            runs: dict[str, list[Figures]] = {name: [] for name in targets}
            for _ in range(args.rounds):
                for name, (url, target_script) in targets.items():
                    runs[name].append(
                        run_wrk(wrk, url, seconds=args.seconds, script=target_script, **wrk_args)
                    )
            rss = rss_mb(users._process.pid)
        finally:
            users.stop()
            for server, _ in ceilings.values():
                server.stop()

    print()
    for number in range(args.rounds):
        for name, figures in runs.items():
            print(describe(f"round {number + 1} {name}", figures[number])[:200])
    medians = {name: median(figures) for name, figures in runs.items()}
    print()
    for name, figures in medians.items():
        print(describe(f"{name} (median)", figures))
    print()
    limits = {name: medians[name] for name in (RAW_ASGI, BARE_FASTAPI)}
    for name in ROUTES:
        print(f"{name:<27} {ratios(medians[name], limits)}")
    print("target: >= 0.25x bare FastAPI throughput, p99 <= 5x bare FastAPI p99")
    print(f"users server RSS at the end: {rss:.0f} MB ({args.users} accounts, one token each)")


if __name__ == "__main__":
    main()
