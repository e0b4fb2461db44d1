"""The local gateway's HTTP contract (deploy/local/gateway), as a browser meets it: one
origin for the page, auth and users; users only behind auth's /validate (nginx
`auth_request`), whose identity headers reach users and whose refusals reach the
client as JSON; `/internal/` never routed; a dependency down is a 503 in JSON.

A second gateway sends /api/v1/users/ to a recording server instead of users, to see
what users would receive.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx
import jwt
import pytest

from browser.stack import GATEWAY_SCRIPT, PROVIDER, PROVIDER_LABEL, WebStack
from e2e.stack import SERVICE_TOKEN, Browser
from testkit.ports import free_port


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class RecordingServer:
    """Answers every request 200 `{}` and keeps what it received."""

    requests: list[Recorded] = field(default_factory=list)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                server.requests.append(
                    Recorded(
                        self.command,
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        self.rfile.read(length),
                    )
                )
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def do_GET(self) -> None:
                self._record()

            def do_PATCH(self) -> None:
                self._record()

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture(scope="module")
def recording_gateway(
    web: WebStack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, RecordingServer]]:
    """A gateway like `web`'s whose users is a `RecordingServer`."""
    recorder = RecordingServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), recorder.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = free_port()
    web.processes.start(
        "gateway-recording",
        [
            "bash",
            str(GATEWAY_SCRIPT),
            "--listen",
            f"127.0.0.1:{port}",
            "--auth",
            web.services.auth.removeprefix("http://"),
            "--users",
            f"127.0.0.1:{server.server_address[1]}",
            "--state",
            str(tmp_path_factory.mktemp("gateway-recording")),
        ],
        dict(os.environ),
        f"http://127.0.0.1:{port}/",
    )
    try:
        yield f"http://127.0.0.1:{port}", recorder
    finally:
        web.processes.stop("gateway-recording")
        server.shutdown()


async def sign_in(web: WebStack, http: httpx.AsyncClient, login: str) -> str:
    """Sign in through the gateway (provider screens submitted over HTTP); the access token."""
    browser = Browser(dataclasses.replace(web.services, auth=web.origin), http)
    callback = await browser.login_url(login, provider=PROVIDER)
    done = await http.get(callback)
    assert done.status_code == 302, done.text
    assert done.headers["location"] == f"{web.origin}/login/success"
    return http.cookies["s_access"]


def raw_status(origin: str, method: str, target: str, headers: dict[str, str]) -> int:
    """Send `target` exactly as written (no client-side normalisation of `..` or `%2F`)."""
    parts = urlsplit(origin)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, target, body=b"{}", headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_page_and_the_provider_list_share_one_origin(web: WebStack) -> None:
    page = httpx.get(f"{web.origin}/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    # auth's callback sends the browser to /login/success or /login/error: the page too.
    for path in ("/login/success", "/login/error?error=access_denied"):
        back = httpx.get(f"{web.origin}{path}")
        assert (back.status_code, back.text) == (200, page.text)
    module = httpx.get(f"{web.origin}/js/main.js")
    assert module.headers["content-type"].startswith("text/javascript")
    assert httpx.get(f"{web.origin}/nothing-here.js").status_code == 404

    providers = httpx.get(f"{web.origin}/api/v1/auth/providers")
    assert providers.status_code == 200
    assert providers.json() == {
        "providers": [
            {
                "name": PROVIDER,
                "display_name": PROVIDER_LABEL,
                "authorize_url": f"/api/v1/auth/{PROVIDER}/authorize",
            }
        ]
    }


@pytest.mark.parametrize(
    ("cookie", "code"),
    [(None, "TOKEN_MISSING"), ("not-a-token", "TOKEN_MALFORMED")],
)
def test_users_refused_by_validate_is_a_401_with_the_code_in_json(
    web: WebStack, cookie: str | None, code: str
) -> None:
    cookies = {"s_access": cookie} if cookie else None
    refused = httpx.patch(f"{web.origin}/api/v1/users/me", json={}, cookies=cookies)
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/json")
    assert refused.json()["code"] == code
    assert refused.headers["x-auth-error"] == code
    assert refused.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("POST", "/internal/v1/identities"),
        ("POST", "/api/v1/users/../../../internal/v1/identities"),
        ("POST", "/api/v1/users/%2e%2e/%2e%2e/%2e%2e/internal/v1/identities"),
        ("GET", "/api/v1/users/me%2F..%2F..%2F..%2Finternal%2Fv1%2Fusers"),
        ("GET", "/api/v1/auth/internal/anything"),
        ("GET", "/INTERNAL/v1/identities"),
    ],
)
def test_internal_is_never_routed(web: WebStack, method: str, target: str) -> None:
    headers = {"X-Service-Token": SERVICE_TOKEN, "Content-Type": "application/json"}
    assert raw_status(web.origin, method, target, headers) == 404


async def test_users_gets_the_identity_validate_answered_never_the_clients(
    web: WebStack, recording_gateway: tuple[str, RecordingServer]
) -> None:
    origin, recorder = recording_gateway
    async with httpx.AsyncClient(timeout=10.0) as http:
        access = await sign_in(web, http, "hana")
        # The real users, through the real gateway, knows the caller.
        me = await http.get(f"{web.origin}/api/v1/users/me")
        assert (me.status_code, me.json()["nickname"]) == (200, "hana")

        answered = await http.patch(
            f"{origin}/api/v1/users/me?fields=nickname",
            json={"nickname": "하나"},
            headers={"X-User-Id": "00000000-0000-0000-0000-000000000000", "X-Session-Id": "x"},
        )
    assert answered.status_code == 200
    [received] = recorder.requests
    claims = jwt.decode(access, options={"verify_signature": False})
    assert (received.method, received.path) == ("PATCH", "/api/v1/users/me?fields=nickname")
    assert received.headers["x-user-id"] == claims["sub"]
    assert received.headers["x-session-id"] == claims["sid"]
    assert received.headers["x-auth-provider"] == PROVIDER
    assert json.loads(received.body) == {"nickname": "하나"}
    # The token still travels: users verifies it itself.
    assert f"s_access={access}" in received.headers["cookie"]


async def test_a_dependency_down_is_a_503_in_json(web: WebStack) -> None:
    async with httpx.AsyncClient(timeout=10.0) as http:
        await sign_in(web, http, "ines")
        web.processes.stop("auth")
        try:
            # /validate does not answer: users is not reached, the client learns why.
            checked = await http.get(f"{web.origin}/api/v1/users/me")
            assert checked.status_code == 503
            assert checked.json()["code"] == "DEPENDENCY_UNAVAILABLE"
            providers = await http.get(f"{web.origin}/api/v1/auth/providers")
            assert (providers.status_code, providers.json()["code"]) == (
                503,
                "DEPENDENCY_UNAVAILABLE",
            )
        finally:
            web.processes.restart("auth")
        web.processes.stop("users")
        try:
            me = await http.get(f"{web.origin}/api/v1/users/me")
            assert (me.status_code, me.json()["code"]) == (503, "DEPENDENCY_UNAVAILABLE")
        finally:
            web.processes.restart("users")
        me = await http.get(f"{web.origin}/api/v1/users/me")
        assert me.status_code == 200
