"""End to end: a real OpenID Connect provider, auth and users as real processes.

The provider is `oidc-provider` (npm, installed into a cache directory on first
use) configured by `oidc_provider.mjs`: one confidential client that must use
PKCE S256. auth and users run as `python -m <app>.main serve` after `migrate`,
on free ports, against a throwaway database and their own Redis namespace. A
cookie-keeping httpx client plays the browser: it submits the provider's login
and consent forms and follows the redirects back to auth's callback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import httpx
import pytest

from testkit.databases import temporary_database
from testkit.ports import free_port
from testkit.redis_namespace import redis_namespace
from testkit.servers import postgres_server, redis_server

OIDC_PROVIDER_VERSION = "8.8.1"
CLIENT_ID = "eco2-e2e"
CLIENT_SECRET = "e2e-client-secret"
SERVICE_TOKEN = "e2e-service-token-0123456789abcdef-0123"
FRONTEND = "http://frontend.e2e.test"
START_TIMEOUT_SECONDS = 60.0
PROVIDERS = ("e2e", "e2e_other")


@dataclass(frozen=True)
class Stack:
    auth: str
    users: str
    issuer: str


SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def _oidc_provider_module() -> Path:
    """oidc-provider's entry module, installed with npm into the cache if missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run the OpenID Connect provider")
    cache = Path(os.environ.get("ECO2_E2E_CACHE", Path.home() / ".cache" / "eco2-e2e"))
    module = cache / "node_modules" / "oidc-provider" / "lib" / "index.js"
    manifest = module.parent.parent / "package.json"
    if not module.exists() or f'"version": "{OIDC_PROVIDER_VERSION}"' not in manifest.read_text():
        cache.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        # npm trusts only Node's built-in roots unless told; use the system bundle,
        # which is what a TLS-intercepting proxy's CA is added to.
        if "NODE_EXTRA_CA_CERTS" not in env and Path(SYSTEM_CA_BUNDLE).exists():
            env["NODE_EXTRA_CA_CERTS"] = SYSTEM_CA_BUNDLE
        installed = subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(cache),
                "--no-audit",
                "--no-fund",
                f"oidc-provider@{OIDC_PROVIDER_VERSION}",
            ],
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert installed.returncode == 0, installed.stderr.decode(errors="replace")
    return module


class Processes:
    """Child processes with their output in log files, shown when something fails."""

    def __init__(self, logs: Path) -> None:
        self._logs = logs
        self._running: list[tuple[str, subprocess.Popen[bytes]]] = []

    def run(self, name: str, args: list[str], env: dict[str, str]) -> None:
        result = subprocess.run(args, env=env, capture_output=True, timeout=120, check=False)
        if result.returncode != 0:
            pytest.fail(f"{name} failed:\n{result.stdout.decode()}\n{result.stderr.decode()}")

    def start(self, name: str, args: list[str], env: dict[str, str], ready: str) -> None:
        log = (self._logs / f"{name}.log").open("wb")
        process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        self._running.append((name, process))
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode}:\n{self.log(name)}")
            try:
                if httpx.get(ready, timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        pytest.fail(f"{name} did not become ready at {ready}:\n{self.log(name)}")

    def log(self, name: str) -> str:
        return (self._logs / f"{name}.log").read_text(errors="replace")[-5000:]

    def stop_all(self) -> None:
        for _, process in reversed(self._running):
            process.terminate()
        for _, process in self._running:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    module = _oidc_provider_module()
    script = Path(__file__).with_name("oidc_provider.mjs")
    auth_port, users_port, oidc_port = free_port(), free_port(), free_port()
    auth, users, issuer = (f"http://127.0.0.1:{p}" for p in (auth_port, users_port, oidc_port))
    processes = Processes(tmp_path_factory.mktemp("e2e-logs"))
    base_env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with (
        postgres_server() as admin_url,
        temporary_database(admin_url, "e2e") as database_url,
        redis_server() as redis_url,
        redis_namespace(redis_url, "e2e") as prefix,
    ):
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
        }
        for name in PROVIDERS:
            key = f"AUTH_OAUTH__OIDC__{name.upper()}__"
            auth_env |= {
                f"{key}ISSUER": issuer,
                f"{key}CLIENT_ID": CLIENT_ID,
                f"{key}CLIENT_SECRET": CLIENT_SECRET,
            }
        oidc_env = {
            **os.environ,
            "E2E_OIDC_MODULE": str(module),
            "E2E_OIDC_PORT": str(oidc_port),
            "E2E_CLIENT_ID": CLIENT_ID,
            "E2E_CLIENT_SECRET": CLIENT_SECRET,
            "E2E_REDIRECT_URIS": ",".join(
                f"{auth}/api/v1/auth/{name}/callback" for name in PROVIDERS
            ),
        }
        try:
            processes.run(
                "users migrate", [sys.executable, "-m", "users.main", "migrate"], users_env
            )
            processes.run("auth migrate", [sys.executable, "-m", "auth.main", "migrate"], auth_env)
            processes.start(
                "oidc-provider",
                ["node", str(script)],
                oidc_env,
                f"{issuer}/.well-known/openid-configuration",
            )
            processes.start(
                "users", [sys.executable, "-m", "users.main", "serve"], users_env, f"{users}/health"
            )
            processes.start(
                "auth", [sys.executable, "-m", "auth.main", "serve"], auth_env, f"{auth}/health"
            )
            yield Stack(auth=auth, users=users, issuer=issuer)
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


def error_code(response: httpx.Response) -> str:
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{FRONTEND}/login/error"
    assert "set-cookie" not in response.headers
    return parse_qs(location.query)["error"][0]


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return urlunsplit(parts._replace(query=urlencode({**query, **changes})))


async def test_login_through_a_real_openid_connect_provider(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=10.0) as http:
        browser = Browser(stack, http)

        # Authorize: server-generated state, PKCE S256 and a nonce in the URL.
        started = await browser.authorize(device_id="e2e-laptop")
        assert started.status_code == 200
        params = parse_qs(urlsplit(started.json()["authorization_url"]).query)
        assert params["code_challenge_method"] == ["S256"]
        assert params["state"] == [started.json()["state"]]
        assert len(params["nonce"][0]) >= 32

        # Login and consent at the provider; back to auth's callback, then the frontend.
        callback_url = await browser.approve(started.json()["authorization_url"], "alice")
        done = await http.get(callback_url)
        assert done.status_code == 302, done.text
        assert done.headers["location"] == f"{FRONTEND}/login/success"
        access = http.cookies["s_access"]
        assert http.cookies["s_refresh"]

        # users knows the caller from the s_access cookie alone.
        me = await http.get(f"{stack.users}/api/v1/users/me")
        assert me.status_code == 200, me.text
        profile = me.json()
        assert (profile["email"], profile["provider"]) == ("alice@e2e.example", "e2e")
        [session] = await browser.sessions(access)
        assert (session["provider"], session["device_id"]) == ("e2e", "e2e-laptop")

        # Replaying the callback URL: the state was used up.
        assert error_code(await http.get(callback_url)) == "invalid_state"

        # A state issued for another provider.
        other = await browser.login_url("alice", provider="e2e_other")
        swapped = other.replace("/e2e_other/callback", "/e2e/callback")
        assert error_code(await http.get(swapped)) == "provider_mismatch"

        # A nonce other than the one auth stored: the provider signs it into the id_token.
        started = await browser.authorize()
        forged = with_query(started.json()["authorization_url"], nonce="n" * 43)
        assert error_code(await http.get(await browser.approve(forged, "alice"))) == (
            "nonce_mismatch"
        )

        # A frontend origin outside the allow-list never gets a state.
        refused = await browser.authorize(frontend_origin="https://evil.example")
        assert (refused.status_code, refused.json()["code"]) == (
            400,
            "FRONTEND_ORIGIN_NOT_ALLOWED",
        )

        # None of the failures opened a session.
        assert len(await browser.sessions(access)) == 1
