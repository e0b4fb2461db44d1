"""End to end: provider `dev` as scripts/run has it. auth in the `local` profile, with
nothing about the provider configured but where it listens (a test cannot own port
9400), and `deploy/local/oidc_provider.mjs` with its default client: the defaults on
both sides agree, and a newcomer signs in under any name. Outside the local profiles,
auth refuses to start with it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from e2e.stack import (
    FRONTEND,
    Browser,
    Processes,
    Stack,
    oidc_provider_command,
    oidc_provider_module,
    running_stack,
)
from testkit.databases import temporary_database
from testkit.ports import free_port
from testkit.redis_namespace import redis_namespace
from testkit.servers import postgres_server, redis_server


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    processes = Processes(tmp_path_factory.mktemp("e2e-dev-logs"))
    dev_port = free_port()
    local_profile = {
        "AUTH_PROFILE": "local",
        "AUTH_OAUTH__DEV__ISSUER": f"http://127.0.0.1:{dev_port}",
    }
    with (
        postgres_server() as admin_url,
        temporary_database(admin_url, "e2e_dev") as database_url,
        redis_server() as redis_url,
        redis_namespace(redis_url, "e2e-dev") as prefix,
        running_stack(
            processes,
            database_url=database_url,
            redis_url=redis_url,
            prefix=prefix,
            auth_settings=local_profile,
        ) as running,
    ):
        # auth discovers the provider on the first login, so it may start after auth.
        processes.start(
            "dev-provider",
            oidc_provider_command(
                oidc_provider_module(),
                port=dev_port,
                redirect_uris=[f"{running.auth}/api/v1/auth/dev/callback"],
            ),
            dict(os.environ),
            f"http://127.0.0.1:{dev_port}/.well-known/openid-configuration",
        )
        yield running


async def test_a_newcomer_signs_in_through_the_dev_provider(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=10.0) as http:
        browser = Browser(stack, http)
        started = await browser.authorize("dev")
        assert started.status_code == 200, started.text
        authorization_url = started.json()["authorization_url"]
        assert authorization_url.startswith(stack.auth_env["AUTH_OAUTH__DEV__ISSUER"])
        params = parse_qs(urlsplit(authorization_url).query)
        assert params["client_id"] == ["eco2-local"]
        assert params["code_challenge_method"] == ["S256"]
        assert len(params["nonce"][0]) >= 32

        done = await http.get(await browser.approve(authorization_url, "newcomer"))
        assert (done.status_code, done.headers["location"]) == (302, f"{FRONTEND}/login/success")

        me = await http.get(f"{stack.users}/api/v1/users/me")
        assert me.status_code == 200, me.text
        assert (me.json()["email"], me.json()["provider"]) == ("newcomer@dev.example", "dev")
        [session] = await browser.sessions(http.cookies["s_access"])
        assert session["provider"] == "dev"


def test_auth_refuses_to_start_with_it_in_the_prod_profile(stack: Stack) -> None:
    env = {**stack.auth_env, "AUTH_PROFILE": "prod", "AUTH_OAUTH__DEV__ENABLED": "true"}
    refused = subprocess.run(
        [sys.executable, "-m", "auth.main", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    assert "AUTH_OAUTH__DEV__ENABLED=true is refused in the 'prod' profile" in refused.stderr
