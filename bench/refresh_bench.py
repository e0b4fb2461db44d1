"""Benchmark of `POST /api/v1/auth/refresh`, with the rate limits on and off, against the
raw ASGI and bare FastAPI ceilings.

Not a test: it starts servers, drives them with wrk and prints figures.

    dist/export/python/virtualenvs/python-default/3.11.7/bin/python bench/refresh_bench.py

Steps: write an Ed25519 key to a temporary key directory; register `--sessions`
sessions in Redis the way a login does; start a raw ASGI app, the bare FastAPI app and
two auth apps with the same uvicorn settings (uvloop, httptools, N workers, no access
log): one with the default rate limits (refresh per client address, in Redis; with
`--session-limit` per session too), one with `AUTH_RATE_LIMITS__ENABLED=false`. Both
believe `X-Forwarded-For` from 127.0.0.1, and every request carries its own client
address there (one per session, as many clients would): the limits are checked and
admit, never refuse, so what differs is their cost. wrk runs against the four in
alternating rounds, the refresh rounds with a Lua script that sends the sessions'
current refresh tokens (`X-Refresh-Token`) in turn, so each request rotates a different
session. A rotated
token is spent, so every round of each auth app gets its own `--sessions` fresh
sessions, more than a round sends (the script says when a round ran out and wrapped
around onto spent tokens). Prints requests/s, p50, p99 and non-2xx of every round, the
medians, the limiter's cost (limits on / off, target >= 0.85), the ratios to both
ceilings and the limited auth server's RSS at the end. The Redis keys it writes live
under a random `bench:` prefix and are deleted at the end.
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
    median,
    register_sessions,
    run_wrk,
)

from testkit.ports import free_port
from testkit.redis_namespace import delete_namespace

REFRESH_PATH = "/api/v1/auth/refresh"
TARGET_PER_SECOND = 1500
TARGET_LIMITER_RATIO = 0.85  # the limits cost under 15% of refresh throughput

REFRESH_FROM_CLIENTS_LUA = """
local counter = 0
function setup(thread)
  thread:set("number", counter)
  counter = counter + 1
end
function init(args)
  lines = io.open("%(lines)s-" .. number .. ".txt")
end
function request()
  local line = lines:read("*l")
  if line == nil then
    lines:seek("set")
    line = lines:read("*l")
  end
  local token, address = line:match("^(%%S+) (%%S+)$")
  return wrk.format(
    "POST", nil, {["X-Refresh-Token"] = "Bearer " .. token, ["X-Forwarded-For"] = address}
  )
end
"""
"""Each line of a thread's file is a refresh token and the client address it comes from."""


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


def client_address(number: int) -> str:
    """The `number`th client address of 10.0.0.0/8, one per session."""
    return f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"


def refresh_script(directory: Path, name: str, tokens: list[str], threads: int) -> Path:
    """A wrk script: thread i sends session i, i+threads, ... each from its own address."""
    lines = [f"{token} {client_address(n)}" for n, token in enumerate(tokens)]
    for number in range(threads):
        (directory / f"{name}-{number}.txt").write_text("\n".join(lines[number::threads]) + "\n")
    script = directory / f"{name}.lua"
    script.write_text(REFRESH_FROM_CLIENTS_LUA % {"lines": directory / name})
    return script


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
    parser.add_argument(
        "--session-limit",
        default=None,
        help="also limit refresh per session at this rate (e.g. 10/minute); default: the"
        " default limits (per address only)",
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    prefix = f"bench:{uuid.uuid4().hex[:10]}:"
    wrk_args = {"threads": args.threads, "connections": args.connections}
    with tempfile.TemporaryDirectory(prefix="eco2-bench-") as tmp:
        work = Path(tmp)
        keys_dir = key_directory(work)
        # Both auth apps believe X-Forwarded-For from wrk's address: each request is a client.
        env = auth_env(keys_dir, args.redis_url, prefix)
        env["AUTH_OAUTH__TRUSTED_PROXIES"] = '["127.0.0.1/32"]'
        limited_env = {**env, "AUTH_RATE_LIMITS__ENABLED": "true"}  # the defaults
        if args.session_limit:
            limited_env["AUTH_RATE_LIMITS__REFRESH__PER_SESSION"] = args.session_limit
        print(
            f"settings: uvicorn uvloop+httptools, {args.workers} worker(s); wrk {args.threads}"
            f" threads, {args.connections} connections, {args.seconds}s x {args.rounds} rounds;"
            f" limits on: per address 300/minute (the default), per session"
            f" {args.session_limit or 'off (the default)'}",
            flush=True,
        )
        # One token list per round (plus a warm-up) and auth app, each token sent once.
        scripts: dict[str, list[Path]] = {"off": [], "on": []}
        for number in range(args.rounds + 1):
            for limits, runs in scripts.items():
                print(
                    f"registering {args.sessions} sessions for run {number}, limits {limits} ...",
                    flush=True,
                )
                tokens = asyncio.run(register_sessions(env, args.sessions))
                runs.append(refresh_script(work, f"refresh-{limits}{number}", tokens, args.threads))
        raw = RawAsgiServer(free_port(), args.workers, env)
        bare = Server("bare_app:create_app", free_port(), args.workers, env)
        unlimited = Server("auth.setup.app:create_app", free_port(), args.workers, env)
        limited = Server("auth.setup.app:create_app", free_port(), args.workers, limited_env)
        try:
            raw.wait_ready("/")
            bare.wait_ready("/ok")
            unlimited.wait_ready("/health")
            limited.wait_ready("/health")
            raw_url = f"http://127.0.0.1:{raw.port}/"
            bare_url = f"http://127.0.0.1:{bare.port}/ok"
            urls = {
                "off": f"http://127.0.0.1:{unlimited.port}{REFRESH_PATH}",
                "on": f"http://127.0.0.1:{limited.port}{REFRESH_PATH}",
            }
            run_wrk(wrk, raw_url, seconds=2, script=None, **wrk_args)  # warm-up
            run_wrk(wrk, bare_url, seconds=2, script=None, **wrk_args)
            for limits, url in urls.items():
                run_wrk(wrk, url, seconds=2, script=scripts[limits][0], **wrk_args)
            raws: list[Figures] = []
            bares: list[Figures] = []
            refreshes: dict[str, list[Figures]] = {"off": [], "on": []}
            # Alternate, so noise from other work on the machine hits all four alike.
            for number in range(1, args.rounds + 1):
                raws.append(run_wrk(wrk, raw_url, seconds=args.seconds, script=None, **wrk_args))
                bares.append(run_wrk(wrk, bare_url, seconds=args.seconds, script=None, **wrk_args))
                # Which auth app goes first changes every round.
                order = ("off", "on") if number % 2 else ("on", "off")
                for limits in order:
                    refreshes[limits].append(
                        run_wrk(
                            wrk,
                            urls[limits],
                            seconds=args.seconds,
                            script=scripts[limits][number],
                            **wrk_args,
                        )
                    )
            auth_rss = group_rss_mb(limited._process.pid)
        finally:
            raw.stop()
            bare.stop()
            unlimited.stop()
            limited.stop()
            deleted = asyncio.run(delete_namespace(args.redis_url, prefix))

    print()
    labels = ("raw ASGI /", "bare FastAPI /ok", "refresh, limits off", "refresh, limits on")
    for number, runs in enumerate(zip(raws, bares, refreshes["off"], refreshes["on"], strict=True)):
        for label, figures in zip(labels, runs, strict=True):
            print(describe(f"round {number + 1} {label}", figures))
    raw_m, bare_m = median(raws), median(bares)
    off_m, refresh_m = median(refreshes["off"]), median(refreshes["on"])
    print()
    print(describe("raw ASGI / (median)", raw_m))
    print(describe("bare FastAPI /ok (median)", bare_m))
    print(describe("refresh, limits off (median)", off_m))
    print(describe("refresh, limits on (median)", refresh_m))
    print()
    rps = refresh_m.requests_per_second
    limiter_ratio = rps / off_m.requests_per_second
    print(
        f"limiter cost: limits on/off {limiter_ratio:.3f}x requests/s"
        f" (target >= {TARGET_LIMITER_RATIO}: under 15%), p99 on/off"
        f" {refresh_m.p99_ms / off_m.p99_ms:.2f}x; per-round ratios "
        + ", ".join(
            f"{on.requests_per_second / off.requests_per_second:.3f}"
            for off, on in zip(refreshes["off"], refreshes["on"], strict=True)
        )
    )
    print(
        f"refresh {rps:.0f} rotations/s with the limits (target >= {TARGET_PER_SECOND}/s),"
        f" {refresh_m.non_2xx + off_m.non_2xx} non-2xx in all rounds (target 0)"
    )
    print(
        f"refresh/bare FastAPI {rps / bare_m.requests_per_second:.3f}x, p99"
        f" {refresh_m.p99_ms / bare_m.p99_ms:.1f}x;"
        f" refresh/raw ASGI {rps / raw_m.requests_per_second:.3f}x, p99"
        f" {refresh_m.p99_ms / raw_m.p99_ms:.1f}x"
    )
    print(f"auth server (limits on) RSS at the end: {auth_rss:.1f} MB")
    busiest = max(r.requests_per_second for runs in refreshes.values() for r in runs)
    if busiest * args.seconds > args.sessions:
        print("note: a round ran out of distinct tokens; raise --sessions")
    print(f"cleaned up {deleted} Redis keys under {prefix}")


if __name__ == "__main__":
    main()
