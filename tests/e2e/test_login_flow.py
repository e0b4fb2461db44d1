"""End to end: a real OpenID Connect provider, auth and users as real processes
(`e2e.stack`), against a throwaway database and their own Redis namespace. A
cookie-keeping httpx client plays the browser: it submits the provider's login
and consent forms and follows the redirects back to auth's callback.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from e2e.stack import FRONTEND, Browser, Processes, Stack, running_stack
from testkit.databases import temporary_database
from testkit.redis_namespace import redis_namespace
from testkit.servers import postgres_server, redis_server


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    processes = Processes(tmp_path_factory.mktemp("e2e-logs"))
    with (
        postgres_server() as admin_url,
        temporary_database(admin_url, "e2e") as database_url,
        redis_server() as redis_url,
        redis_namespace(redis_url, "e2e") as prefix,
        running_stack(
            processes, database_url=database_url, redis_url=redis_url, prefix=prefix
        ) as running,
    ):
        yield running


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
        assert (session["current"], session["ip_address"]) == (True, "127.0.0.1")
        assert {"device", "os", "browser"} <= set(session)

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
