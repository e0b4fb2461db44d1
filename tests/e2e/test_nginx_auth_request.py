"""End to end: a real nginx (Debian package, installed by scripts/ensure-apt-packages when
missing) in front of auth and users, with the repo's `auth_request` snippets
(`deploy/nginx/validate.conf`, `deploy/nginx/auth_request.conf`). A signed-in caller
reaches users, and an echo upstream shows the identity nginx passes on; a caller without
a token gets auth's 401 and code; auth logs the checked request as nginx told it; with
auth down, nginx answers 503, not 500."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from e2e.stack import REPO, Browser, Processes, Stack, running_stack
from testkit.databases import temporary_database
from testkit.ports import free_port
from testkit.redis_namespace import redis_namespace
from testkit.servers import postgres_server, redis_server

SNIPPETS = REPO / "deploy" / "nginx"

NGINX_CONF = """
daemon off;
master_process off;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{}}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream eco2_auth {{ server {auth}; }}
    upstream eco2_users {{ server {users}; }}
    # What reaches a protected upstream: the identity headers, method and URI.
    server {{
        listen 127.0.0.1:{echo_port};
        location / {{
            default_type application/json;
            return 200 '{{"user":"$http_x_user_id","session":"$http_x_session_id",\
"provider":"$http_x_auth_provider","request":"$request_method $request_uri"}}';
        }}
    }}
    server {{
        listen 127.0.0.1:{port};
        include {snippets}/validate.conf;
        location = /ready {{ return 200; }}
        location /api/v1/users/ {{
            include {snippets}/auth_request.conf;
            proxy_pass http://eco2_users;
        }}
        location /echo/ {{
            include {snippets}/auth_request.conf;
            proxy_pass http://127.0.0.1:{echo_port};
        }}
    }}
}}
"""


@dataclass(frozen=True)
class Gateway:
    url: str
    stack: Stack
    processes: Processes
    logs: Path


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    installed = subprocess.run(
        ["bash", str(REPO / "scripts" / "ensure-apt-packages"), "nginx:nginx"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    nginx = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
    assert nginx is not None, "the nginx package is installed but its binary is not found"
    logs = tmp_path_factory.mktemp("e2e-nginx-logs")
    processes = Processes(logs)
    with (
        postgres_server() as admin_url,
        temporary_database(admin_url, "e2e_nginx") as database_url,
        redis_server() as redis_url,
        redis_namespace(redis_url, "e2e-nginx") as prefix,
        running_stack(
            processes,
            database_url=database_url,
            redis_url=redis_url,
            prefix=prefix,
            auth_settings={"AUTH_LOG_LEVEL": "DEBUG"},
            providers=("dev",),
        ) as stack,
    ):
        nginx_dir = tmp_path_factory.mktemp("nginx")
        port = free_port()
        conf = nginx_dir / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                dir=nginx_dir,
                auth=stack.auth.removeprefix("http://"),
                users=stack.users.removeprefix("http://"),
                port=port,
                echo_port=free_port(),
                snippets=SNIPPETS,
            )
        )
        url = f"http://127.0.0.1:{port}"
        processes.start(
            "nginx",
            [nginx, "-p", str(nginx_dir), "-c", str(conf), "-e", str(nginx_dir / "error.log")],
            {},
            f"{url}/ready",
        )
        yield Gateway(url, stack, processes, logs)


async def sign_in(gateway: Gateway, http: httpx.AsyncClient) -> dict[str, object]:
    """Log in through provider `dev`; the cookies land in `http`. The profile."""
    browser = Browser(gateway.stack, http)
    done = await http.get(await browser.login_url("nginx-user", provider="dev"))
    assert done.status_code == 302, done.text
    me = await http.get(f"{gateway.stack.users}/api/v1/users/me")
    assert me.status_code == 200, me.text
    profile: dict[str, object] = me.json()
    return profile


def decision_lines(gateway: Gateway) -> list[dict[str, object]]:
    lines = (gateway.logs / "auth.log").read_text(errors="replace").splitlines()
    entries = [json.loads(line) for line in lines if '"validate decision"' in line]
    return [entry for entry in entries if entry.get("msg") == "validate decision"]


async def test_nginx_asks_auth_and_passes_the_identity_upstream(gateway: Gateway) -> None:
    async with httpx.AsyncClient(timeout=10.0) as http:
        profile = await sign_in(gateway, http)
        access = http.cookies["s_access"]
        [session] = await Browser(gateway.stack, http).sessions(access)

    async with httpx.AsyncClient(base_url=gateway.url, timeout=10.0) as client:
        # users behind nginx, the token in a cookie.
        me = await client.get("/api/v1/users/me", headers={"Cookie": f"s_access={access}"})
        assert (me.status_code, me.json()["user_id"]) == (200, profile["user_id"])

        # The identity auth answered replaces whatever the client claimed.
        echoed = await client.post(
            "/echo/items?page=2",
            headers={"Authorization": f"Bearer {access}", "X-User-Id": "someone-else"},
        )
        assert echoed.status_code == 200, echoed.text
        assert echoed.json() == {
            "user": profile["user_id"],
            "session": session["session_id"],
            "provider": "dev",
            "request": "POST /echo/items?page=2",
        }

    # auth saw nginx's dialect: the checked request in X-Original-Method/-URI.
    assert {
        "dialect": "nginx",
        "original_method": "POST",
        "original_uri": "/echo/items?page=2",
        "result": "allow",
    }.items() <= decision_lines(gateway)[-1].items()


async def test_a_caller_without_a_token_gets_auths_401_and_code(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url, timeout=10.0) as client:
        for path in ["/api/v1/users/me", "/echo/anything"]:
            denied = await client.delete(path, headers={"X-User-Id": "someone-else"})
            assert denied.status_code == 401, denied.text
            assert denied.json()["code"] == "TOKEN_MISSING"
            assert denied.headers["x-auth-error"] == "TOKEN_MISSING"
            assert denied.headers["www-authenticate"] == "Bearer"
        forged = await client.get("/echo/x", headers={"Authorization": "Bearer x.y.z"})
        assert (forged.status_code, forged.headers["x-auth-error"]) == (401, "TOKEN_MALFORMED")
    assert {
        "dialect": "nginx",
        "original_method": "GET",
        "original_uri": "/echo/x",
        "result": "deny",
        "code": "TOKEN_MALFORMED",
    }.items() <= decision_lines(gateway)[-1].items()


async def test_with_auth_down_nginx_answers_503(gateway: Gateway) -> None:
    async with httpx.AsyncClient(timeout=10.0) as http:
        await sign_in(gateway, http)
        access = http.cookies["s_access"]
    gateway.processes.stop("auth")
    try:
        async with httpx.AsyncClient(base_url=gateway.url, timeout=10.0) as client:
            down = await client.get("/echo/x", headers={"Authorization": f"Bearer {access}"})
        assert down.status_code == 503, down.text
        assert down.json()["code"] == "DEPENDENCY_UNAVAILABLE"
        assert down.headers["retry-after"] == "1"
    finally:
        gateway.processes.restart("auth")
