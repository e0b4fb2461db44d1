"""End to end: a real OpenID Connect provider, auth and users as real processes
(`e2e.stack`), against a throwaway database and their own Redis namespace. A
cookie-keeping httpx client plays the browser: it submits the provider's login
and consent forms and follows the redirects back to auth's callback. The same
provider serves two provider names (`e2e`, `e2e_other`), so a user can link a second
provider; Kakao is configured for its unlink notices only.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from e2e.stack import FRONTEND, SERVICE_TOKEN, Browser, Processes, Stack, running_stack
from testkit.databases import temporary_database
from testkit.redis_namespace import redis_namespace
from testkit.servers import postgres_server, redis_server

KAKAO_ADMIN_KEY = "e2e-kakao-admin-key-0123456789"
KAKAO_APP_ID = "424242"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    processes = Processes(tmp_path_factory.mktemp("e2e-logs"))
    with (
        postgres_server() as admin_url,
        temporary_database(admin_url, "e2e") as database_url,
        redis_server() as redis_url,
        redis_namespace(redis_url, "e2e") as prefix,
        running_stack(
            processes,
            database_url=database_url,
            redis_url=redis_url,
            prefix=prefix,
            auth_settings={
                "AUTH_OAUTH__KAKAO__CLIENT_ID": "e2e-kakao-rest-key",
                "AUTH_OAUTH__KAKAO__CLIENT_SECRET": "e2e-kakao-secret",
                "AUTH_OAUTH__KAKAO__ADMIN_KEY": KAKAO_ADMIN_KEY,
                "AUTH_OAUTH__KAKAO__APP_ID": KAKAO_APP_ID,
            },
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


def link_page(response: httpx.Response) -> dict[str, list[str]]:
    """Where a link callback sent the browser (the frontend's link page); no cookie set."""
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{FRONTEND}/account"
    assert "set-cookie" not in response.headers
    return parse_qs(location.query)


async def social_accounts(http: httpx.AsyncClient, stack: Stack) -> list[str]:
    response = await http.get(f"{stack.users}/api/v1/users/me/social-accounts")
    assert response.status_code == 200, response.text
    return [account["provider"] for account in response.json()["social_accounts"]]


async def sign_in(browser: Browser, login: str, provider: str = "e2e") -> str:
    """Log in through the provider; the user id users sees."""
    done = await browser.http.get(await browser.login_url(login, provider=provider))
    assert done.headers["location"] == f"{FRONTEND}/login/success", done.text
    me = await browser.http.get(f"{browser.stack.users}/api/v1/users/me")
    assert me.status_code == 200, me.text
    user_id: str = me.json()["user_id"]
    return user_id


async def link(browser: Browser, provider: str, approver: Browser, login: str) -> httpx.Response:
    """Start a link from the signed-in ``browser``, approve it at the provider as ``login``
    in ``approver``'s provider session (someone else's, to link their account), and follow
    the redirect back in ``browser``."""
    started = await browser.authorize(provider, intent="link")
    assert started.status_code == 200, started.text
    callback = await approver.approve(started.json()["authorization_url"], login)
    return await browser.http.get(callback)


async def test_link_a_second_provider_then_unlink_the_first(stack: Stack) -> None:
    async with (
        httpx.AsyncClient(timeout=10.0) as alice_http,
        httpx.AsyncClient(timeout=10.0) as carol_http,
        httpx.AsyncClient(timeout=10.0) as phone_http,
    ):
        alice, carol = Browser(stack, alice_http), Browser(stack, carol_http)
        alice_id = await sign_in(alice, "alice-link")
        carol_id = await sign_in(carol, "carol-link", provider="e2e_other")

        # Carol's provider account belongs to Carol: nothing changes for either.
        refused = await link(alice, "e2e_other", carol, "carol-link")
        assert link_page(refused) == {"error": ["account_already_linked"]}
        assert await social_accounts(alice_http, stack) == ["e2e"]
        assert await social_accounts(carol_http, stack) == ["e2e_other"]

        # Her own account at the other provider: linked, and no new session.
        linked = await link(alice, "e2e_other", alice, "alice-link")
        assert link_page(linked) == {"linked": ["e2e_other"]}
        assert await social_accounts(alice_http, stack) == ["e2e", "e2e_other"]
        access = alice_http.cookies["s_access"]
        assert len(await alice.sessions(access)) == 1

        # Signing in through the linked provider reaches the same account.
        phone = Browser(stack, phone_http)
        assert await sign_in(phone, "alice-link", provider="e2e_other") == alice_id
        assert alice_id != carol_id

        # Unlink the first provider (her session signed in just now); never the last one.
        unlinked = await alice_http.delete(f"{stack.users}/api/v1/users/me/social-accounts/e2e")
        assert unlinked.status_code == 204, unlinked.text
        last = await alice_http.delete(f"{stack.users}/api/v1/users/me/social-accounts/e2e_other")
        assert (last.status_code, last.json()["code"]) == (409, "LAST_LOGIN_METHOD")
        assert await social_accounts(alice_http, stack) == ["e2e_other"]


async def test_a_kakao_unlink_notice_through_the_real_services(stack: Stack) -> None:
    internal = {"X-Service-Token": SERVICE_TOKEN}
    kakao = {"Authorization": f"KakaoAK {KAKAO_ADMIN_KEY}"}
    async with httpx.AsyncClient(timeout=10.0) as http:
        browser = Browser(stack, http)
        user_id = await sign_in(browser, "dana-notice")
        linked = await http.post(
            f"{stack.users}/internal/v1/users/{user_id}/social-accounts",
            json={"provider": "kakao", "provider_user_id": "7770001"},
            headers=internal,
        )
        assert linked.status_code == 201, linked.text
        assert await social_accounts(http, stack) == ["e2e", "kakao"]

        def notice(member: str) -> dict[str, str]:
            return {"app_id": KAKAO_APP_ID, "user_id": member, "referrer_type": "UNLINK_FROM_APPS"}

        forged = await http.get(
            f"{stack.auth}/api/v1/auth/kakao/unlink",
            params=notice("7770001"),
            headers={"Authorization": "KakaoAK guessed"},
        )
        assert (forged.status_code, forged.json()["code"]) == (401, "NOTICE_SIGNATURE_INVALID")
        assert await social_accounts(http, stack) == ["e2e", "kakao"]

        applied = await http.post(
            f"{stack.auth}/api/v1/auth/kakao/unlink", data=notice("7770001"), headers=kakao
        )
        assert (applied.status_code, applied.json()) == (200, {"outcome": "unlinked"})
        assert await social_accounts(http, stack) == ["e2e"]
        assert len(await browser.sessions(http.cookies["s_access"])) == 1  # signed in via e2e

        again = await http.get(
            f"{stack.auth}/api/v1/auth/kakao/unlink", params=notice("7770001"), headers=kakao
        )
        assert (again.status_code, again.json()) == (200, {"outcome": "unknown_user"})

        # A user whose only login method was that Kakao account is deleted as DELETE /me
        # deletes it: pending deletion (the grace period), its sign-ins refused.
        only = await http.post(
            f"{stack.users}/internal/v1/identities",
            json={"provider": "kakao", "provider_user_id": "7770002"},
            headers=internal,
        )
        assert only.status_code == 200, only.text
        deleted = await http.get(
            f"{stack.auth}/api/v1/auth/kakao/unlink", params=notice("7770002"), headers=kakao
        )
        assert (deleted.status_code, deleted.json()) == (200, {"outcome": "user_deleted"})
        sign_in_again = await http.post(
            f"{stack.users}/internal/v1/identities",
            json={"provider": "kakao", "provider_user_id": "7770002"},
            headers=internal,
        )
        assert (sign_in_again.status_code, sign_in_again.json()["code"]) == (
            403,
            "ACCOUNT_PENDING_DELETION",
        )
        assert sign_in_again.json()["user_id"] == only.json()["user_id"]
