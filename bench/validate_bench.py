"""Benchmark of `/api/v1/auth/validate` (and `/refresh`) against a bare FastAPI ceiling.

Not a test: it starts servers, drives them with wrk and prints figures.

    dist/export/python/virtualenvs/python-default/3.11.7/bin/python bench/validate_bench.py

Steps: install wrk if missing (apt-get); write an Ed25519 key to a temporary key
directory; start a bare FastAPI app and the auth app with the same uvicorn settings
(uvloop, httptools, N workers, no access log), auth against the local Redis; mint
distinct valid access tokens with the key the server loads; run wrk against the two
in alternating rounds (a Lua script rotates through the tokens); register sessions
and drive `/refresh` with a different current refresh token per request. Prints
requests/s, p50 and p99 of every round, the medians and their ratios. The Redis
keys it writes live under a random `bench:` prefix and are deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_PATHS = [
    ROOT / "libs/kernel/src",
    ROOT / "libs/servicekit/src",
    ROOT / "apps/auth/src",
    ROOT / "bench",
    ROOT / "tests",
]
sys.path[:0] = [str(p) for p in SOURCE_PATHS]

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from cryptography.hazmat.primitives.serialization import (  # noqa: E402
    Encoding,
    NoEncryption,
    PrivateFormat,
)

from testkit.ports import free_port  # noqa: E402
from testkit.redis_namespace import delete_namespace  # noqa: E402

VALIDATE_PATH = "/api/v1/auth/validate"
REFRESH_PATH = "/api/v1/auth/refresh"

ROTATE_LUA = """
local tokens = {}
local header = "%(header)s"
local counter = 0
local step = %(threads)d
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end
function init(args)
  for line in io.lines("%(tokens)s") do tokens[#tokens + 1] = line end
  index = offset + 1
end
function request()
  local token = tokens[index]
  index = index + step
  if index > #tokens then index = offset + 1 end
  return wrk.format("%(method)s", nil, {[header] = "Bearer " .. token})
end
"""


@dataclass
class Figures:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    errors: int


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing it with apt-get", flush=True)
    subprocess.run(["apt-get", "update"], check=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> Figures:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rps is None:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    latency = {
        p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)$", output, re.M)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Figures(
        requests_per_second=float(rps.group(1)),
        p50_ms=latency["50"],
        p99_ms=latency["99"],
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(g) for g in errors.groups()) if errors else 0,
    )


def run_wrk(
    wrk: str, url: str, *, threads: int, connections: int, seconds: int, script: Path | None
) -> Figures:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    result = subprocess.run([*command, url], check=True, capture_output=True, text=True)
    return parse_wrk(result.stdout)


class Server:
    """A uvicorn process group, stopped by its own process-group id."""

    def __init__(self, app: str, port: int, workers: int, env: dict[str, str]) -> None:
        self.port = port
        self._process = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn", app, "--factory",
                "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(workers), "--loop", "uvloop", "--http", "httptools",
                "--no-access-log", "--log-level", "warning",
            ],
            env=env,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise SystemExit(f"server on port {self.port} exited ({self._process.returncode})")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=1):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"server on port {self.port} did not start")

    def stop(self) -> None:
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()


def write_key(directory: Path) -> None:
    key = Ed25519PrivateKey.generate()
    (directory / "bench.pem").write_bytes(
        key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    )


def mint_access_tokens(keys_dir: Path, count: int) -> list[str]:
    """Distinct valid access tokens signed with the key the server loads."""
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
            user_id=uuid.uuid4(), provider="bench", session_id=uuid.uuid4().hex, now=clock.now()
        ).access_token
        for _ in range(count)
    ]


async def register_sessions(settings_env: dict[str, str], count: int) -> list[str]:
    """Sessions registered in Redis the way login does; returns their refresh tokens."""
    from auth.setup.settings import AuthSettings
    from auth.setup.token_system import TokenSystem, load_keys
    from servicekit.redis import create_redis

    settings = AuthSettings(
        profile="local",
        redis_key_prefix=settings_env["AUTH_REDIS_KEY_PREFIX"],
        token={"keys_dir": settings_env["AUTH_TOKEN__KEYS_DIR"]},  # type: ignore[arg-type]
    )
    redis = create_redis(settings.redis_url.get_secret_value())
    try:
        tokens = TokenSystem.build(settings, redis, load_keys(settings))
        await tokens.start()  # creates the revocation epoch before any token exists
        await tokens.stop()
        refresh_tokens: list[str] = []
        for start in range(0, count, 200):
            batch = await asyncio.gather(
                *(
                    tokens.service.issue_and_register(
                        user_id=uuid.uuid4(), provider="bench", device_id=None, user_agent="wrk"
                    )
                    for _ in range(min(200, count - start))
                )
            )
            refresh_tokens += [pair.refresh_token for pair in batch]
        return refresh_tokens
    finally:
        await redis.aclose()


def lua_script(
    directory: Path, name: str, tokens: list[str], *, method: str, header: str, threads: int
) -> Path:
    """A wrk script: thread i sends tokens i, i+threads, i+2*threads, ... (each once per lap)."""
    token_file = directory / f"{name}.txt"
    token_file.write_text("\n".join(tokens) + "\n")
    script = directory / f"{name}.lua"
    script.write_text(
        ROTATE_LUA % {"tokens": token_file, "method": method, "header": header, "threads": threads}
    )
    return script


def median(runs: list[Figures]) -> Figures:
    """Field by field median of several runs."""
    return Figures(
        requests_per_second=statistics.median(r.requests_per_second for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        non_2xx=sum(r.non_2xx for r in runs),
        errors=sum(r.errors for r in runs),
    )


def describe(label: str, figures: Figures) -> str:
    return (
        f"{label:<27} {figures.requests_per_second:>10.0f} req/s   p50 {figures.p50_ms:>7.2f} ms"
        f"   p99 {figures.p99_ms:>7.2f} ms   non-2xx {figures.non_2xx}"
        f"   socket errors {figures.errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "1")))
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5, help="alternating bare/validate runs")
    parser.add_argument("--tokens", type=int, default=10_000)
    parser.add_argument("--refresh-sessions", type=int, default=30_000)
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    prefix = f"bench:{uuid.uuid4().hex[:10]}:"
    with tempfile.TemporaryDirectory(prefix="eco2-bench-") as tmp:
        work = Path(tmp)
        keys_dir = work / "keys"
        keys_dir.mkdir()
        write_key(keys_dir)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(str(p) for p in SOURCE_PATHS),
            "AUTH_PROFILE": "local",
            "AUTH_LOG_LEVEL": "WARNING",
            "AUTH_REDIS_URL": args.redis_url,
            "AUTH_REDIS_KEY_PREFIX": prefix,
            "AUTH_TOKEN__KEYS_DIR": str(keys_dir),
        }
        print(
            f"settings: uvicorn uvloop+httptools, {args.workers} worker(s); wrk {args.threads}"
            f" threads, {args.connections} connections, {args.seconds}s",
            flush=True,
        )

        print(f"registering {args.refresh_sessions} sessions ...", flush=True)
        refresh_tokens = asyncio.run(register_sessions(env, args.refresh_sessions))
        print(f"minting {args.tokens} access tokens ...", flush=True)
        access_script = lua_script(
            work,
            "access",
            mint_access_tokens(keys_dir, args.tokens),
            method="GET",
            header="Authorization",
            threads=args.threads,
        )
        refresh_script = lua_script(
            work,
            "refresh",
            refresh_tokens,
            method="POST",
            header="X-Refresh-Token",
            threads=args.threads,
        )
        wrk_args = {"threads": args.threads, "connections": args.connections}
        bare = Server("bare_app:create_app", free_port(), args.workers, env)
        auth = Server("auth.setup.app:create_app", free_port(), args.workers, env)
        try:
            bare.wait_ready("/ok")
            auth.wait_ready("/health")
            bare_url = f"http://127.0.0.1:{bare.port}/ok"
            validate_url = f"http://127.0.0.1:{auth.port}{VALIDATE_PATH}"
            run_wrk(wrk, bare_url, seconds=2, script=None, **wrk_args)  # warm-up
            run_wrk(wrk, validate_url, seconds=2, script=access_script, **wrk_args)
            # Alternate the two, so noise from other work on the machine hits both alike.
            ceilings: list[Figures] = []
            validates: list[Figures] = []
            for _ in range(args.rounds):
                ceilings.append(
                    run_wrk(wrk, bare_url, seconds=args.seconds, script=None, **wrk_args)
                )
                validates.append(
                    run_wrk(
                        wrk, validate_url, seconds=args.seconds, script=access_script, **wrk_args
                    )
                )
            refresh_url = f"http://127.0.0.1:{auth.port}{REFRESH_PATH}"
            refresh = run_wrk(
                wrk, refresh_url, seconds=args.seconds, script=refresh_script, **wrk_args
            )
        finally:
            bare.stop()
            auth.stop()
            deleted = asyncio.run(delete_namespace(args.redis_url, prefix))

    print()
    for number, (ceiling_round, validate_round) in enumerate(zip(ceilings, validates, strict=True)):
        print(describe(f"round {number + 1} bare /ok", ceiling_round))
        print(describe(f"round {number + 1} /validate", validate_round))
    ceiling, validate = median(ceilings), median(validates)
    print()
    print(describe("bare FastAPI /ok (median)", ceiling))
    print(describe("auth /validate (median)", validate))
    print(describe("auth /refresh", refresh))
    print()
    throughput = validate.requests_per_second / ceiling.requests_per_second
    print(
        f"validate/bare throughput {throughput:.2f}x (target >= 0.60x);"
        f" p99 {validate.p99_ms / ceiling.p99_ms:.2f}x of bare (target <= 1.50x)"
    )
    print(f"refresh throughput {refresh.requests_per_second:.0f}/s (target >= 1000/s)")
    if refresh.requests_per_second * args.seconds > len(refresh_tokens):
        print("note: refresh ran out of distinct tokens; raise --refresh-sessions")
    print(f"cleaned up {deleted} Redis keys under {prefix}")


if __name__ == "__main__":
    main()
