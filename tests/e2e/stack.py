"""The process stack end-to-end tests share: a real OpenID Connect provider, auth
and users as real processes (and, on request, both relays and the lifecycle workers),
and a browser that logs in through the provider.

The provider is the one scripts/run starts as provider `dev`:
`deploy/local/oidc_provider.mjs` over `oidc-provider` (npm, installed into a cache
directory on first use by `deploy/local/install-oidc-provider`), one confidential
client that must use PKCE S256. auth and users run as `python -m <app>.main serve`
after `migrate`, on free loopback ports, against the database and Redis namespace the
test gives.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from testkit.ports import free_port

REPO = Path(__file__).resolve().parents[2]
OIDC_SCRIPT = REPO / "deploy" / "local" / "oidc_provider.mjs"
OIDC_INSTALLER = REPO / "deploy" / "local" / "install-oidc-provider"
CLIENT_ID = "eco2-e2e"
CLIENT_SECRET = "e2e-client-secret"
EMAIL_DOMAIN = "e2e.example"
SERVICE_TOKEN = "e2e-service-token-0123456789abcdef-0123"
FRONTEND = "http://frontend.e2e.test"
START_TIMEOUT_SECONDS = 60.0
PROVIDERS = ("e2e", "e2e_other")
TRACEBACK = "Traceback (most recent call last)"
# Both relays log "... relay started" once they run (no HTTP port to probe); so do the
# lifecycle workers ("account purge started", "audit eraser started").
RELAY_STARTED = "relay started"


def oidc_provider_module() -> Path:
    """oidc-provider's entry module, installed into its cache by the repo's installer
    (`deploy/local/install-oidc-provider`, which scripts/run uses too) when missing."""
    installed = subprocess.run(
        ["bash", str(OIDC_INSTALLER)], capture_output=True, text=True, timeout=300, check=False
    )
    assert installed.returncode == 0, installed.stderr
    return Path(installed.stdout.strip())


def oidc_provider_command(
    module: Path, *, port: int, redirect_uris: Iterable[str], **options: str
) -> list[str]:
    """The command that runs `deploy/local/oidc_provider.mjs` on 127.0.0.1:`port`;
    `options` are its other flags (`client_id="x"` for `--client-id x`)."""
    command = ["node", str(OIDC_SCRIPT), "--module", str(module), "--port", str(port)]
    for uri in redirect_uris:
        command += ["--redirect-uri", uri]
    for name, value in options.items():
        command += [f"--{name.replace('_', '-')}", value]
    return command


@dataclass
class _Child:
    args: list[str]
    env: dict[str, str]
    ready: str | None
    ready_line: str | None
    process: subprocess.Popen[bytes]
    log_offset: int


class Processes:
    """Child processes by name, their output appended to `<name>.log`, shown when
    something fails. A process can be killed and started again with the same
    command (a crash and a restart)."""

    def __init__(self, logs: Path) -> None:
        self._logs = logs
        self._children: dict[str, _Child] = {}

    def run(self, *commands: tuple[str, list[str], dict[str, str]]) -> None:
        """Run `(name, args, env)` commands to completion, all at once (the two
        services' migrations); fail the test if one fails. Output goes to `<name>.log`."""
        running = []
        for name, args, env in commands:
            with (self._logs / f"{name}.log").open("ab") as log:
                running.append(
                    (name, subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT))
                )
        for name, process in running:
            try:
                returncode = process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                pytest.fail(f"{name} did not finish within 120 s:\n{self.log(name)}")
            if returncode != 0:
                pytest.fail(f"{name} failed ({returncode}):\n{self.log(name)}")

    def start(
        self,
        name: str,
        args: list[str],
        env: dict[str, str],
        ready: str | None,
        ready_line: str | None = None,
        *,
        wait: bool = True,
    ) -> None:
        """Start `name`; unless `wait` is false (then see `wait_ready`), wait until the
        URL `ready` answers 200, or until this run of it logs a line containing
        `ready_line` (a worker without HTTP)."""
        path = self._logs / f"{name}.log"
        with path.open("ab") as log:
            offset = log.tell()
            process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        self._children[name] = _Child(args, env, ready, ready_line, process, offset)
        if wait:
            self.wait_ready(name)

    def wait_ready(self, *names: str) -> None:
        """Wait until each of `names` (started) is ready, as `start` would."""
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        waiting = [name for name in names if self._awaits_readiness(name)]
        while waiting and time.monotonic() < deadline:
            for name in list(waiting):
                child = self._children[name]
                if child.process.poll() is not None:
                    pytest.fail(f"{name} exited with {child.process.returncode}:\n{self.log(name)}")
                if self._is_ready(name, child):
                    waiting.remove(name)
            if waiting:
                time.sleep(0.05)
        for name in waiting:
            child = self._children[name]
            awaited = child.ready or f"a log line with {child.ready_line!r}"
            pytest.fail(f"{name} did not become ready ({awaited}):\n{self.log(name)}")

    def _awaits_readiness(self, name: str) -> bool:
        child = self._children[name]
        return child.ready is not None or child.ready_line is not None

    def _is_ready(self, name: str, child: _Child) -> bool:
        if child.ready_line is not None:
            with (self._logs / f"{name}.log").open("rb") as log:
                log.seek(child.log_offset)
                return child.ready_line.encode() in log.read()
        try:
            return httpx.get(child.ready or "", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self, name: str) -> None:
        """SIGKILL `name` (a crash: no shutdown code runs)."""
        process = self._children[name].process
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=15)

    def stop(self, name: str) -> None:
        """SIGTERM `name` and wait for it to exit."""
        process = self._children[name].process
        process.terminate()
        process.wait(timeout=15)

    def restart(self, name: str) -> None:
        """Start a killed `name` again with its command and environment."""
        child = self._children[name]
        assert child.process.poll() is not None, f"{name} is still running"
        self.start(name, child.args, child.env, child.ready, child.ready_line)

    def log(self, name: str) -> str:
        return (self._logs / f"{name}.log").read_text(errors="replace")[-5000:]

    def tracebacks(self) -> dict[str, Counter[str]]:
        """Each process's log lines holding a traceback (all its runs), counted by
        `logger: message (last line of the exception)` of the JSON line (the raw
        line's start when not JSON)."""
        found: dict[str, Counter[str]] = {}
        for name in self._children:
            lines = (self._logs / f"{name}.log").read_text(errors="replace").splitlines()
            found[name] = Counter(_origin(line) for line in lines if TRACEBACK in line)
        return found

    def stop_all(self) -> None:
        running = [child.process for child in reversed(self._children.values())]
        for process in running:
            if process.poll() is None:
                process.terminate()
        for process in running:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _origin(line: str) -> str:
    try:
        entry = json.loads(line)
    except ValueError:
        return line[:120]
    if not isinstance(entry, dict):
        return line[:120]
    raised = str(entry.get("exc", "")).strip().splitlines()[-1:] or [""]
    return f"{entry.get('logger')}: {str(entry.get('msg', '')).strip()[:80]} ({raised[0][:100]})"


@dataclass(frozen=True)
class Stack:
    """Where the running stack answers, and the environments it was started with."""

    auth: str
    users: str
    issuer: str
    auth_env: dict[str, str] = field(repr=False)
    users_env: dict[str, str] = field(repr=False)


def signing_key_pem() -> str:
    """A fresh Ed25519 private key (PEM), so every auth process signs with the same key."""
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        .decode()
    )


@contextmanager
def running_stack(
    processes: Processes,
    *,
    database_url: str,
    redis_url: str,
    prefix: str,
    auth_settings: dict[str, str] | None = None,
    users_settings: dict[str, str] | None = None,
    relays: bool = False,
    lifecycle: bool = False,
    providers: tuple[str, ...] = PROVIDERS,
) -> Iterator[Stack]:
    """Start the provider while both services migrate (at once: each its own schema),
    then users and auth (and with `relays`, users' outbox relay and auth's blacklist
    relay, named `outbox-relay`/`blacklist-relay`; with `lifecycle`, users' account
    purge and auth's audit eraser, named `account-purge`/`audit-eraser`) all at once;
    yield once every one is ready (a worker: once it logged that it started).

    `auth_settings` and `users_settings` are extra `AUTH_…` and `USERS_…` variables;
    `providers` the names auth gives the OpenID Connect provider (its client accepts
    their callbacks under auth's `CALLBACK_BASE_URL`, a gateway's when the settings say
    so; `dev` is the local provider's own setting, `AUTH_OAUTH__DEV__…`). Everything
    stops on exit.
    """
    module = oidc_provider_module()
    auth_port, users_port, oidc_port = free_port(), free_port(), free_port()
    auth, users, issuer = (f"http://127.0.0.1:{p}" for p in (auth_port, users_port, oidc_port))
    base_env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    users_env = {
        **base_env,
        "USERS_PROFILE": "test",
        "USERS_PORT": str(users_port),
        "USERS_DATABASE_URL": database_url,
        "USERS_REDIS_URL": redis_url,
        "USERS_REDIS_KEY_PREFIX": f"{prefix}users:",
        "USERS_INTERNAL_API_TOKEN": SERVICE_TOKEN,
        "USERS_EVENTS_STREAM": f"{prefix}events:users",
        "USERS_ACCESS_TOKEN__JWKS_URL": f"{auth}/api/v1/auth/.well-known/jwks.json",
        "USERS_OUTBOX__METRICS_PORT": "0",  # tests run in parallel: no fixed port
        "USERS_DELETION__METRICS_PORT": "0",
        **(users_settings or {}),
    }
    auth_env = {
        **base_env,
        "AUTH_PROFILE": "test",
        "AUTH_PORT": str(auth_port),
        "AUTH_DATABASE_URL": database_url,
        "AUTH_REDIS_URL": redis_url,
        "AUTH_REDIS_KEY_PREFIX": f"{prefix}auth:",
        "AUTH_USER_EVENTS_STREAM": f"{prefix}events:users",
        "AUTH_OAUTH__CALLBACK_BASE_URL": auth,
        "AUTH_OAUTH__FRONTEND_ORIGIN": FRONTEND,
        "AUTH_OAUTH__USERS__URL": users,
        "AUTH_OAUTH__USERS__TOKEN": SERVICE_TOKEN,
        "AUTH_RELAY__METRICS_PORT": "0",
        "AUTH_AUDIT_ERASER__METRICS_PORT": "0",
        **(auth_settings or {}),
    }
    for name in providers:
        # `dev` is auth's own setting (the local provider), any other name a generic one.
        key = "AUTH_OAUTH__DEV__" if name == "dev" else f"AUTH_OAUTH__OIDC__{name.upper()}__"
        auth_env |= {
            f"{key}ISSUER": issuer,
            f"{key}CLIENT_ID": CLIENT_ID,
            f"{key}CLIENT_SECRET": CLIENT_SECRET,
        }
        if name == "dev":
            auth_env["AUTH_OAUTH__DEV__ENABLED"] = "true"
    oidc = oidc_provider_command(
        module,
        port=oidc_port,
        redirect_uris=(
            f"{auth_env['AUTH_OAUTH__CALLBACK_BASE_URL']}/api/v1/auth/{name}/callback"
            for name in providers
        ),
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domain=EMAIL_DOMAIN,
    )
    python = sys.executable
    started: list[str] = []

    def start(
        name: str,
        args: list[str],
        env: dict[str, str],
        ready: str | None = None,
        ready_line: str | None = None,
    ) -> None:
        processes.start(name, args, env, ready, ready_line, wait=False)
        started.append(name)

    try:
        start("oidc-provider", oidc, dict(os.environ), f"{issuer}/.well-known/openid-configuration")
        processes.run(
            ("users migrate", [python, "-m", "users.main", "migrate"], users_env),
            ("auth migrate", [python, "-m", "auth.main", "migrate"], auth_env),
        )
        start("users", [python, "-m", "users.main", "serve"], users_env, f"{users}/health")
        start("auth", [python, "-m", "auth.main", "serve"], auth_env, f"{auth}/health")
        if relays:
            outbox_relay = [python, "-m", "users.workers.outbox_relay"]
            start("outbox-relay", outbox_relay, users_env, ready_line=RELAY_STARTED)
            blacklist_relay = [python, "-m", "auth.workers.consumers.blacklist_relay"]
            start("blacklist-relay", blacklist_relay, auth_env, ready_line=RELAY_STARTED)
        if lifecycle:
            purge = [python, "-m", "users.workers.account_purge"]
            start("account-purge", purge, users_env, ready_line="account purge started")
            eraser = [python, "-m", "auth.workers.consumers.audit_eraser"]
            start("audit-eraser", eraser, auth_env, ready_line="audit eraser started")
        processes.wait_ready(*started)
        yield Stack(auth=auth, users=users, issuer=issuer, auth_env=auth_env, users_env=users_env)
    finally:
        processes.stop_all()


class Browser:
    """A cookie-keeping client that walks the provider's login and consent forms."""

    def __init__(self, stack: Stack, http: httpx.AsyncClient) -> None:
        self.stack = stack
        self.http = http

    async def authorize(self, provider: str = "e2e", **params: str) -> httpx.Response:
        return await self.http.get(
            f"{self.stack.auth}/api/v1/auth/{provider}/authorize", params=params
        )

    async def approve(self, authorization_url: str, login: str) -> str:
        """Sign in at the provider as ``login``, consent, and return the callback URL."""
        url = authorization_url
        callback = f"{self.stack.auth}/api/v1/auth/"
        for _ in range(12):
            response = await self.http.get(url)
            if response.status_code == 200:
                action = re.search(r'action="([^"]+)"', response.text)
                prompt = re.search(r'name="prompt" value="(\w+)"', response.text)
                assert action is not None, response.text
                assert prompt is not None, response.text
                form = (
                    {"prompt": "login", "login": login, "password": "any"}
                    if prompt.group(1) == "login"
                    else {"prompt": "consent"}
                )
                response = await self.http.post(urljoin(url, action.group(1)), data=form)
            assert response.status_code in (302, 303), response.text
            url = urljoin(url, response.headers["location"])
            if url.startswith(callback):
                return url
        raise AssertionError("the provider never redirected back to auth")

    async def login_url(self, login: str, provider: str = "e2e", **params: str) -> str:
        started = await self.authorize(provider, **params)
        assert started.status_code == 200, started.text
        return await self.approve(started.json()["authorization_url"], login)

    async def sessions(self, access_token: str) -> list[dict[str, object]]:
        response = await self.http.get(
            f"{self.stack.auth}/api/v1/auth/sessions",
            headers={"Authorization": f"Bearer {access_token}"},
        )
        assert response.status_code == 200, response.text
        sessions: list[dict[str, object]] = response.json()["sessions"]
        return sessions
