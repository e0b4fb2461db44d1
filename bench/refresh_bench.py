"""Benchmark of `POST /api/v1/auth/refresh` against the raw ASGI and bare FastAPI ceilings.

Not a test: it starts servers, drives them with wrk and prints figures.

    dist/export/python/virtualenvs/python-default/3.11.7/bin/python bench/refresh_bench.py

Steps: write an Ed25519 key to a temporary key directory; register `--sessions`
sessions in Redis the way a login does; start a raw ASGI app, the bare FastAPI app and
the auth app with the same uvicorn settings (uvloop, httptools, N workers, no access
log); run wrk against the three in alternating rounds, the refresh rounds with a Lua
script that sends the sessions' current refresh tokens (`X-Refresh-Token`) in turn,
so each request rotates a different session. A rotated token is spent, so every
round gets its own `--sessions` fresh sessions, more than a round sends (the script
says when a round ran out and wrapped around onto spent tokens). Prints requests/s,
p50, p99 and non-2xx of every round, the medians, their ratios to both ceilings and
the auth server's RSS at the end. The Redis keys it writes live under a random
`bench:` prefix and are deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from validate_bench import (
    Figures,
    Server,
    auth_env,
    describe,
    ensure_wrk,
    key_directory,
    lua_script,
    median,
    register_sessions,
    run_wrk,
)

from testkit.ports import free_port
from testkit.redis_namespace import delete_namespace

REFRESH_PATH = "/api/v1/auth/refresh"
TARGET_PER_SECOND = 1500


class RawAsgiServer(Server):
    """`bench/raw_asgi_app.py` under the same uvicorn settings (a module-level app)."""

    def __init__(self, port: int, workers: int, env: dict[str, str]) -> None:
        self.port = port
        self._process = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn", "raw_asgi_app:app",
                "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(workers), "--loop", "uvloop", "--http", "httptools",
                "--no-access-log", "--log-level", "warning",
            ],
            env=env,
            start_new_session=True,
        )  # fmt: skip


def group_rss_mb(group: int) -> float:
    """Resident set size of every process in process group `group` (Linux /proc), in MB."""
    total_kb = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[2]) != group:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
        total_kb += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
        )
    return total_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "1")))
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--sessions", type=int, default=15_000, help="sessions per round (each rotated once)"
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    prefix = f"bench:{uuid.uuid4().hex[:10]}:"
    wrk_args = {"threads": args.threads, "connections": args.connections}
    with tempfile.TemporaryDirectory(prefix="eco2-bench-") as tmp:
        work = Path(tmp)
        keys_dir = key_directory(work)
        env = auth_env(keys_dir, args.redis_url, prefix)
        print(
            f"settings: uvicorn uvloop+httptools, {args.workers} worker(s); wrk {args.threads}"
            f" threads, {args.connections} connections, {args.seconds}s x {args.rounds} rounds",
            flush=True,
        )
        # One token list per round (plus a warm-up), each token sent once.
        scripts = []
        for number in range(args.rounds + 1):
            print(f"registering {args.sessions} sessions for run {number} ...", flush=True)
            tokens = asyncio.run(register_sessions(env, args.sessions))
            scripts.append(
                lua_script(
                    work,
                    f"refresh{number}",
                    tokens,
                    method="POST",
                    header="X-Refresh-Token",
                    threads=args.threads,
                )
            )
        raw = RawAsgiServer(free_port(), args.workers, env)
        bare = Server("bare_app:create_app", free_port(), args.workers, env)
        auth = Server("auth.setup.app:create_app", free_port(), args.workers, env)
        try:
            raw.wait_ready("/")
            bare.wait_ready("/ok")
            auth.wait_ready("/health")
            raw_url = f"http://127.0.0.1:{raw.port}/"
            bare_url = f"http://127.0.0.1:{bare.port}/ok"
            refresh_url = f"http://127.0.0.1:{auth.port}{REFRESH_PATH}"
            run_wrk(wrk, raw_url, seconds=2, script=None, **wrk_args)  # warm-up
            run_wrk(wrk, bare_url, seconds=2, script=None, **wrk_args)
            run_wrk(wrk, refresh_url, seconds=2, script=scripts[0], **wrk_args)
            raws: list[Figures] = []
            bares: list[Figures] = []
            refreshes: list[Figures] = []
            # Alternate, so noise from other work on the machine hits all three alike.
            for script in scripts[1:]:
                raws.append(run_wrk(wrk, raw_url, seconds=args.seconds, script=None, **wrk_args))
                bares.append(run_wrk(wrk, bare_url, seconds=args.seconds, script=None, **wrk_args))
                refreshes.append(
                    run_wrk(wrk, refresh_url, seconds=args.seconds, script=script, **wrk_args)
                )
            auth_rss = group_rss_mb(auth._process.pid)
        finally:
            raw.stop()
            bare.stop()
            auth.stop()
            deleted = asyncio.run(delete_namespace(args.redis_url, prefix))

    print()
    for number, runs in enumerate(zip(raws, bares, refreshes, strict=True)):
        for label, figures in zip(
            ("raw ASGI /", "bare FastAPI /ok", "auth /refresh"), runs, strict=True
        ):
            print(describe(f"round {number + 1} {label}", figures))
    raw_m, bare_m, refresh_m = median(raws), median(bares), median(refreshes)
    print()
    print(describe("raw ASGI / (median)", raw_m))
    print(describe("bare FastAPI /ok (median)", bare_m))
    print(describe("auth /refresh (median)", refresh_m))
    print()
    rps = refresh_m.requests_per_second
    print(
        f"refresh {rps:.0f} rotations/s (target >= {TARGET_PER_SECOND}/s),"
        f" {refresh_m.non_2xx} non-2xx in all rounds (target 0)"
    )
    print(
        f"refresh/bare FastAPI {rps / bare_m.requests_per_second:.3f}x, p99"
        f" {refresh_m.p99_ms / bare_m.p99_ms:.1f}x;"
        f" refresh/raw ASGI {rps / raw_m.requests_per_second:.3f}x, p99"
        f" {refresh_m.p99_ms / raw_m.p99_ms:.1f}x"
    )
    print(f"auth server RSS at the end: {auth_rss:.1f} MB")
    if max(r.requests_per_second for r in refreshes) * args.seconds > args.sessions:
        print("note: a round ran out of distinct tokens; raise --sessions")
    print(f"cleaned up {deleted} Redis keys under {prefix}")


if __name__ == "__main__":
    main()
