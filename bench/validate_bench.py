"""Benchmark of `/api/v1/auth/validate` (and `/refresh`) against two ceilings.

Not a test: it starts servers, drives them with wrk and prints figures.

    dist/export/python/virtualenvs/python-default/3.11.7/bin/python bench/validate_bench.py

Steps: install wrk if missing (apt-get); write an Ed25519 key to a temporary key
directory; start, with the same uvicorn settings (uvloop, httptools, N workers, no
access log), a raw ASGI callable answering an empty 200 (`raw_asgi_app.py`, the limit
of this stack), a bare FastAPI app with one empty endpoint (`bare_app.py`) and the
auth app against the local Redis (twice: one server per case, so that the never-seen
tokens do not evict the warm ones). Two `/validate` cases run in rounds alternating
with the two ceilings, all sent the same kind of request (a token in `Authorization`, so
wrk, on the same cores, costs the same), and other load on the machine hits all alike:

- warm: `--tokens` distinct valid access tokens in rotation, all in the verified-token
  cache after the warm-up (an access token used for many API calls);
- never seen: every request carries a token no request carried before (`--fresh-rate`
  tokens minted per second of each run), so every one is verified, and the cache
  churns at its capacity.

With `--tracing`, a third auth server runs the warm case with OpenTelemetry on (the
standard variables: OTLP over HTTP to a local sink the bench serves, which answers 200
and counts what it gets; sampler `always_on`, so every decision is a span), and its
ratio to the untraced warm case is printed: the cost of tracing `/validate`. The other
servers run with every `OTEL_…` variable removed (tracing off).

Then it registers sessions and drives `/refresh` with a different current refresh
token per request. Prints requests/s, p50 and p99 of every run, the medians, their
ratios to both ceilings, and the never-seen server's RSS as the rounds go (bounded: its
cache is full once the never-seen tokens have passed through it). The Redis keys it
writes live under a random `bench:` prefix and are deleted at the end.
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
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
local header = "%(header)s"
local counter = 0
function setup(thread)
  thread:set("number", counter)
  counter = counter + 1
end
function init(args)
  tokens = io.open("%(tokens)s-" .. number .. ".txt")
end
function request()
  local token = tokens:read("*l")
  if token == nil then
    tokens:seek("set")
    token = tokens:read("*l")
  end
  return wrk.format("%(method)s", nil, {[header] = "Bearer " .. token})
end
"""
"""Each wrk thread reads its own token file line by line, from the start again at its end:
not a Lua table of every token, whose garbage collection would cost wrk (on the same
cores as the server) more as the table grows."""


@dataclass
class Figures:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    errors: int
    requests: int = 0


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
    # wrk pads a value in seconds with a trailing space ("99%    1.19s ").
    percentiles = re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    latency = {p: _ms(v, u) for p, v, u in percentiles}
    if rps is None or set(latency) != {"50", "99"}:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    requests = re.search(r"(\d+) requests in", output)
    return Figures(
        requests_per_second=float(rps.group(1)),
        p50_ms=latency["50"],
        p99_ms=latency["99"],
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(g) for g in errors.groups()) if errors else 0,
        requests=int(requests.group(1)) if requests else 0,
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

    def __init__(
        self, app: str, port: int, workers: int, env: dict[str, str], *, factory: bool = True
    ) -> None:
        self.port = port
        self._process = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn", app, *(["--factory"] if factory else []),
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

    def rss_mb(self) -> float:
        """Resident memory of every process of the group (the workers and their parent)."""
        total_kb = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) != self._process.pid:  # field 5, the process group
                    continue
                status = (stat.parent / "status").read_text()
            except (OSError, IndexError, ValueError):
                continue  # the process ended meanwhile
            rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            total_kb += int(rss.group(1)) if rss else 0
        return total_kb / 1024

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


def key_directory(work: Path) -> Path:
    """`work/keys`, holding one new Ed25519 signing key (`bench.pem`)."""
    keys_dir = work / "keys"
    keys_dir.mkdir()
    write_key(keys_dir)
    return keys_dir


def auth_env(keys_dir: Path, redis_url: str, prefix: str) -> dict[str, str]:
    """The environment of a benchmarked auth server: profile `local`, the key directory,
    Redis under `prefix`, warnings only, no rate limits (wrk sends everything from one
    address; `refresh_bench.py` measures the limits' cost with addresses of their own),
    no tracing (no `OTEL_…` variable)."""
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith("OTEL_")},
        "PYTHONPATH": os.pathsep.join(str(p) for p in SOURCE_PATHS),
        "AUTH_PROFILE": "local",
        "AUTH_LOG_LEVEL": "WARNING",
        "AUTH_REDIS_URL": redis_url,
        "AUTH_REDIS_KEY_PREFIX": prefix,
        "AUTH_TOKEN__KEYS_DIR": str(keys_dir),
        "AUTH_RATE_LIMITS__ENABLED": "false",
    }


@dataclass
class TraceSink:
    """What the local OTLP sink received: export requests and their bytes."""

    url: str
    requests: int = 0
    bytes: int = 0


@contextmanager
def trace_sink() -> Iterator[TraceSink]:
    """A stand-in collector on a loopback port: answers 200 to every `POST /v1/traces`
    (after reading the body, as a collector does) and counts them."""
    sink = TraceSink(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            size = len(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            with lock:
                sink.requests += 1
                sink.bytes += size
            self.send_response(200 if self.path == "/v1/traces" else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sink.url = f"http://127.0.0.1:{server.server_address[1]}/v1/traces"
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()


def traced_env(env: dict[str, str], sink: TraceSink) -> dict[str, str]:
    """`env` with tracing on: every span sampled, exported to `sink` (batch defaults)."""
    return {
        **env,
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": sink.url,
        "OTEL_TRACES_SAMPLER": "always_on",
        "OTEL_SERVICE_NAME": "auth-bench",
    }


def mint_access_tokens(keys_dir: Path, count: int) -> list[str]:
    """Distinct valid access tokens, signed one by one (no refresh token: half the work).

    The claims are those `Ed25519TokenIssuer.issue_pair` writes into an access token.
    """
    from auth.infrastructure.security import jws
    from auth.infrastructure.security.key_set import load_key_set

    keys = load_key_set(
        keys_dir=keys_dir,
        signing_kid=None,
        signing_key_pem=None,
        public_keys_pem=None,
        allow_ephemeral=False,
    )
    now = int(time.time())
    common = {"iss": "eco2-auth", "aud": "eco2-api", "iat": now, "nbf": now, "exp": now + 3600}
    return [
        jws.sign(
            {
                **common,
                "sub": str(uuid.uuid4()),
                "sid": uuid.uuid4().hex,
                "jti": uuid.uuid4().hex,
                "token_type": "access",
                "provider": "bench",
            },
            keys.signing_key,
            kid=keys.signing_kid,
            typ="at+jwt",
        )
        for _ in range(count)
    ]


async def register_sessions(settings_env: dict[str, str], count: int) -> list[str]:
    """Sessions registered in Redis the way login does; returns their refresh tokens."""
    from auth_token_system import auth_token_system

    async with auth_token_system(settings_env) as tokens:
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


def lua_script(
    directory: Path, name: str, tokens: list[str], *, method: str, header: str, threads: int
) -> Path:
    """A wrk script: thread i sends tokens i, i+threads, i+2*threads, ... (each once per lap)."""
    for number in range(threads):
        (directory / f"{name}-{number}.txt").write_text("\n".join(tokens[number::threads]) + "\n")
    script = directory / f"{name}.lua"
    script.write_text(ROTATE_LUA % {"tokens": directory / name, "method": method, "header": header})
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
        f"{label:<30} {figures.requests_per_second:>8.0f} req/s   p50 {figures.p50_ms:>7.2f} ms"
        f"   p99 {figures.p99_ms:>7.2f} ms   non-2xx {figures.non_2xx}"
        f"   socket errors {figures.errors}"
    )


def ratios(label: str, case: Figures, raw: Figures, bare: Figures, target: str) -> str:
    return (
        f"{label:<11} {case.requests_per_second / bare.requests_per_second:.2f}x bare FastAPI"
        f" ({case.requests_per_second / raw.requests_per_second:.2f}x raw ASGI),"
        f" p99 {case.p99_ms / bare.p99_ms:.2f}x bare ({case.p99_ms / raw.p99_ms:.2f}x raw);"
        f" target {target}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "1")))
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds of every run")
    parser.add_argument("--tokens", type=int, default=10_000, help="tokens of the warm case")
    parser.add_argument(
        "--fresh-rate",
        type=int,
        default=12_000,
        help="never-seen tokens minted per second of each never-seen run",
    )
    parser.add_argument(
        "--refresh-sessions", type=int, default=30_000, help="0 skips the refresh run"
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument(
        "--tracing",
        action="store_true",
        help="also run the warm case on an auth server with tracing on (always_on, OTLP/HTTP "
        "to a local sink) and print its ratio to the untraced warm case",
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    prefix = f"bench:{uuid.uuid4().hex[:10]}:"
    wrk_args = {"threads": args.threads, "connections": args.connections}
    runs: dict[str, list[Figures]] = {"raw": [], "bare": [], "warm": [], "fresh": []}
    if args.tracing:
        runs["traced"] = []
    rss: list[tuple[str, float]] = []
    refresh: Figures | None = None
    wrapped = 0
    with tempfile.TemporaryDirectory(prefix="eco2-bench-") as tmp, trace_sink() as sink:
        work = Path(tmp)
        keys_dir = key_directory(work)
        env = auth_env(keys_dir, args.redis_url, prefix)
        print(
            f"settings: uvicorn uvloop+httptools, {args.workers} worker(s); wrk {args.threads}"
            f" threads, {args.connections} connections, {args.seconds}s, {args.rounds} rounds",
            flush=True,
        )

        # Always: it also creates the revocation epoch, which must predate every token.
        print(f"registering {args.refresh_sessions} sessions ...", flush=True)
        refresh_tokens = asyncio.run(register_sessions(env, args.refresh_sessions))
        fresh_per_run = args.fresh_rate * args.seconds
        print(
            f"minting {args.tokens} warm and {(args.rounds + 1) * fresh_per_run}"
            " never-seen access tokens ...",
            flush=True,
        )
        warm_script = lua_script(
            work,
            "warm",
            mint_access_tokens(keys_dir, args.tokens),
            method="GET",
            header="Authorization",
            threads=args.threads,
        )
        # One file per run (and one for the warm-up): no token is sent twice in the whole run.
        fresh_scripts = [
            lua_script(
                work,
                f"fresh{number}",
                mint_access_tokens(keys_dir, fresh_per_run),
                method="GET",
                header="Authorization",
                threads=args.threads,
            )
            for number in range(args.rounds + 1)
        ]
        raw = Server("raw_asgi_app:app", free_port(), args.workers, env, factory=False)
        bare = Server("bare_app:create_app", free_port(), args.workers, env)
        # Two auth servers, so that the never-seen tokens do not evict the warm ones.
        auth = Server("auth.setup.app:create_app", free_port(), args.workers, env)
        auth_fresh = Server("auth.setup.app:create_app", free_port(), args.workers, env)
        servers = [raw, bare, auth, auth_fresh]
        if args.tracing:
            auth_traced = Server(
                "auth.setup.app:create_app", free_port(), args.workers, traced_env(env, sink)
            )
            servers.append(auth_traced)
        try:
            raw.wait_ready("/")
            bare.wait_ready("/ok")
            for server in servers[2:]:
                server.wait_ready("/health")
            rss.append(("started", auth_fresh.rss_mb()))
            # The ceilings get the same requests (the warm tokens in `Authorization`), so
            # wrk, on the same cores, spends the same on every target.
            targets = {
                "raw": (f"http://127.0.0.1:{raw.port}/", warm_script),
                "bare": (f"http://127.0.0.1:{bare.port}/ok", warm_script),
                "warm": (f"http://127.0.0.1:{auth.port}{VALIDATE_PATH}", warm_script),
                "fresh": (f"http://127.0.0.1:{auth_fresh.port}{VALIDATE_PATH}", fresh_scripts[-1]),
            }
            if args.tracing:
                targets["traced"] = (
                    f"http://127.0.0.1:{auth_traced.port}{VALIDATE_PATH}",
                    warm_script,
                )
            for url, script in targets.values():  # warm-up; fills the cache with the warm tokens
                run_wrk(wrk, url, seconds=2, script=script, **wrk_args)
            rss.append(("after the warm-up", auth_fresh.rss_mb()))
            for number in range(args.rounds):
                targets["fresh"] = (targets["fresh"][0], fresh_scripts[number])
                for name, (url, script) in targets.items():
                    runs[name].append(
                        run_wrk(wrk, url, seconds=args.seconds, script=script, **wrk_args)
                    )
                wrapped += runs["fresh"][-1].requests > fresh_per_run
                rss.append((f"after round {number + 1}", auth_fresh.rss_mb()))
            if refresh_tokens:
                refresh_script = lua_script(
                    work,
                    "refresh",
                    refresh_tokens,
                    method="POST",
                    header="X-Refresh-Token",
                    threads=args.threads,
                )
                refresh_url = f"http://127.0.0.1:{auth.port}{REFRESH_PATH}"
                refresh = run_wrk(
                    wrk, refresh_url, seconds=args.seconds, script=refresh_script, **wrk_args
                )
        finally:
            for server in servers:
                server.stop()  # the traced one exports what its batch still holds
            deleted = asyncio.run(delete_namespace(args.redis_url, prefix))

    labels = {
        "raw": "raw ASGI",
        "bare": "bare FastAPI /ok",
        "warm": "/validate warm",
        "fresh": "/validate never seen",
        "traced": "/validate warm, traced",
    }
    labels = {name: label for name, label in labels.items() if name in runs}
    print()
    for number in range(args.rounds):
        for name, label in labels.items():
            print(describe(f"round {number + 1} {label}", runs[name][number]))
    medians = {name: median(figures) for name, figures in runs.items()}
    print()
    for name, label in labels.items():
        print(describe(f"{label} (median)", medians[name]))
    if refresh is not None:
        print(describe("auth /refresh", refresh))
    print()
    raw_m, bare_m = medians["raw"], medians["bare"]
    print(
        f"raw ASGI    {raw_m.requests_per_second / bare_m.requests_per_second:.2f}x bare FastAPI,"
        f" p99 {raw_m.p99_ms / bare_m.p99_ms:.2f}x bare"
    )
    print(ratios("warm", medians["warm"], raw_m, bare_m, ">= 1.50x bare, p99 <= 1.50x bare"))
    print(ratios("never seen", medians["fresh"], raw_m, bare_m, ">= 0.50x bare, p99 <= 3.00x bare"))
    if args.tracing:
        traced, warm = medians["traced"], medians["warm"]
        print(
            f"traced      {traced.requests_per_second / warm.requests_per_second:.2f}x the"
            f" untraced warm case, p99 {traced.p99_ms / warm.p99_ms:.2f}x; the sink received"
            f" {sink.requests} OTLP exports ({sink.bytes / 1e6:.1f} MB)"
        )
    if wrapped:
        print(
            f"note: {wrapped} never-seen run(s) ran out of tokens and reused some;"
            " raise --fresh-rate"
        )
    if refresh is not None:
        print(f"refresh throughput {refresh.requests_per_second:.0f}/s (target >= 1500/s)")
        if refresh.requests_per_second * args.seconds > len(refresh_tokens):
            print("note: refresh ran out of distinct tokens; raise --refresh-sessions")
    print()
    cache = os.environ.get("AUTH_TOKEN__VERIFY_CACHE_SIZE", "16384 (default)")
    print(f"RSS of the never-seen case's auth server (verify cache capacity {cache} entries):")
    for moment, megabytes in rss:
        print(f"  {moment:<20} {megabytes:7.1f} MB")
    print(f"cleaned up {deleted} Redis keys under {prefix}")


if __name__ == "__main__":
    main()
