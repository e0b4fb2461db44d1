"""Each provider's unlinker against a local server answering as the provider documents:
done, already gone, refused (our credentials), down (503) and unreachable."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import UnlinkOutcome
from auth.application.provider_link.exceptions.unlink import (
    ProviderUnlinkRejectedError,
    ProviderUnlinkUnavailableError,
)
from auth.application.provider_link.ports.provider_unlinker import ProviderUnlinker
from auth.setup.provider_unlink_system import build_unlinkers
from auth_tests.integration.fakes.apple_provider import CLIENT_ID, KEY_ID, TEAM_ID
from auth_tests.integration.fakes.unlink_providers import (
    GOOGLE_PATH,
    KAKAO_ADMIN_KEY,
    KAKAO_PATH,
    NAVER_PATH,
)
from auth_tests.integration.provider_link.conftest import Providers
from kernel.clock import SystemClock
from testkit.ports import free_port

USER = uuid.uuid4()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def unlinker(
    providers: Providers, http: httpx.AsyncClient, name: str, **oauth: object
) -> ProviderUnlinker:
    return build_unlinkers(providers.oauth(**oauth), http, SystemClock())[name]


def unreachable() -> str:
    return f"http://127.0.0.1:{free_port()}"


async def test_only_the_providers_that_can_end_a_link_get_an_unlinker(
    providers: Providers, http: httpx.AsyncClient
) -> None:
    assert set(build_unlinkers(providers.oauth(), http, SystemClock())) == {
        "kakao",
        "naver",
        "google",
        "apple",
    }
    # Kakao without its admin key, and providers without credentials: none.
    bare = providers.oauth(kakao={"client_id": "k", "client_secret": "s"}, google={}, apple={})
    assert set(build_unlinkers(bare, http, SystemClock())) == {"naver"}


# --- Kakao ----------------------------------------------------------------------------


async def test_kakao_unlinks_a_linked_user_with_the_admin_key(
    providers: Providers, http: httpx.AsyncClient
) -> None:
    providers.fake.kakao_linked.add("4242")
    kakao = unlinker(providers, http, "kakao")
    assert await kakao.unlink(ProviderLink(USER, "kakao", "4242")) == UnlinkOutcome.UNLINKED
    assert providers.fake.calls_to(KAKAO_PATH) == [
        {"target_id_type": "user_id", "target_id": "4242"}
    ]
    assert providers.fake.kakao_linked == set()
    # Once more: Kakao answers -101 (not linked to the app), which counts as done.
    assert await kakao.unlink(ProviderLink(USER, "kakao", "4242")) == UnlinkOutcome.ALREADY_GONE


async def test_kakao_refusing_the_admin_key_is_a_refusal(
    providers: Providers, http: httpx.AsyncClient
) -> None:
    kakao = unlinker(
        providers,
        http,
        "kakao",
        kakao={"admin_key": "wrong", "unlink_url": providers.fake.base_url + KAKAO_PATH},
    )
    with pytest.raises(ProviderUnlinkRejectedError, match="401 -401"):
        await kakao.unlink(ProviderLink(USER, "kakao", "4242"))


# --- Naver ----------------------------------------------------------------------------


async def test_naver_gets_an_access_token_then_deletes_the_grant(
    providers: Providers, http: httpx.AsyncClient
) -> None:
    providers.fake.naver_refresh_tokens.add("naver-rt")
    naver = unlinker(providers, http, "naver")
    link = ProviderLink(USER, "naver", "naver-id", "naver-rt")
    assert await naver.unlink(link) == UnlinkOutcome.UNLINKED
    refresh, delete = providers.fake.calls_to(NAVER_PATH)
    assert refresh["grant_type"] == "refresh_token"
    assert refresh["refresh_token"] == "naver-rt"
    assert delete["grant_type"] == "delete"
    assert delete["service_provider"] == "NAVER"
    assert delete["access_token"].startswith("nat-")
    assert providers.fake.naver_refresh_tokens == set()
    # The grant is gone: Naver no longer honours the refresh token.
    assert await naver.unlink(link) == UnlinkOutcome.ALREADY_GONE


async def test_naver_without_a_token_is_skipped_and_a_wrong_client_refused(
    providers: Providers, http: httpx.AsyncClient
) -> None:
    naver = unlinker(providers, http, "naver")
    assert await naver.unlink(ProviderLink(USER, "naver", "naver-id")) == UnlinkOutcome.SKIPPED
    assert providers.fake.calls == []
    wrong = unlinker(
        providers,
        http,
        "naver",
        naver={
            "client_id": "x",
            "client_secret": "y",
            "unlink_token_url": providers.fake.base_url + NAVER_PATH,
        },
    )
    with pytest.raises(ProviderUnlinkRejectedError, match="invalid_client"):
        await wrong.unlink(ProviderLink(USER, "naver", "naver-id", "rt"))


# --- Google ---------------------------------------------------------------------------


async def test_google_revokes_a_live_token_and_an_invalid_one_is_already_gone(
    providers: Providers, http: httpx.AsyncClient
) -> None:
    providers.fake.google_tokens.add("g-rt")
    google = unlinker(providers, http, "google")
    link = ProviderLink(USER, "google", "g-sub", "g-rt")
    assert await google.unlink(link) == UnlinkOutcome.UNLINKED
    assert providers.fake.calls_to(GOOGLE_PATH) == [{"token": "g-rt"}]
    assert await google.unlink(link) == UnlinkOutcome.ALREADY_GONE
    assert await google.unlink(ProviderLink(USER, "google", "g-sub")) == UnlinkOutcome.SKIPPED


# --- Apple ----------------------------------------------------------------------------


async def test_apple_revokes_with_a_fresh_client_secret(
    providers: Providers, http: httpx.AsyncClient
) -> None:
    providers.apple.issued_refresh_tokens.add("apple-rt")
    apple = unlinker(providers, http, "apple")
    assert (
        await apple.unlink(ProviderLink(USER, "apple", "a-sub", "apple-rt"))
        == UnlinkOutcome.UNLINKED
    )
    assert providers.apple.revoked == ["apple-rt"]
    [(header, claims)] = providers.apple.client_secrets
    assert header["kid"] == KEY_ID
    assert (claims["iss"], claims["sub"], claims["aud"]) == (
        TEAM_ID,
        CLIENT_ID,
        providers.apple.issuer,
    )
    # Apple answers 200 for a token already revoked.
    assert (
        await apple.unlink(ProviderLink(USER, "apple", "a-sub", "apple-rt"))
        == UnlinkOutcome.UNLINKED
    )


async def test_apple_refusing_the_client_is_a_refusal(
    providers: Providers, http: httpx.AsyncClient
) -> None:
    other_team = {**providers.apple.settings(), "team_id": "OTHERTEAM1"}
    apple = unlinker(providers, http, "apple", apple=other_team)
    with pytest.raises(ProviderUnlinkRejectedError, match="invalid_client"):
        await apple.unlink(ProviderLink(USER, "apple", "a-sub", "apple-rt"))


# --- outages, for every provider ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path", "link"),
    [
        ("kakao", KAKAO_PATH, ProviderLink(USER, "kakao", "4242")),
        ("naver", NAVER_PATH, ProviderLink(USER, "naver", "n", "naver-rt")),
        ("google", GOOGLE_PATH, ProviderLink(USER, "google", "g", "g-rt")),
    ],
)
async def test_a_provider_answering_503_is_unavailable(
    providers: Providers, http: httpx.AsyncClient, name: str, path: str, link: ProviderLink
) -> None:
    providers.fake.outage[path] = 1
    with pytest.raises(ProviderUnlinkUnavailableError, match="503"):
        await unlinker(providers, http, name).unlink(link)


async def test_apple_answering_503_or_unreachable_is_unavailable(
    providers: Providers, http: httpx.AsyncClient
) -> None:
    link = ProviderLink(USER, "apple", "a", "rt")
    providers.apple.revoke_status = 503
    with pytest.raises(ProviderUnlinkUnavailableError, match="503"):
        await unlinker(providers, http, "apple").unlink(link)
    down = {**providers.apple.settings(), "revocation_url": unreachable() + "/auth/revoke"}
    with pytest.raises(ProviderUnlinkUnavailableError, match="unreachable: ConnectError"):
        await unlinker(providers, http, "apple", apple=down).unlink(link)


@pytest.mark.parametrize(
    ("name", "oauth", "link"),
    [
        (
            "kakao",
            {"kakao": {"admin_key": KAKAO_ADMIN_KEY, "unlink_url": "{down}"}},
            ProviderLink(USER, "kakao", "1"),
        ),
        (
            "naver",
            {"naver": {"client_id": "c", "client_secret": "s", "unlink_token_url": "{down}"}},
            ProviderLink(USER, "naver", "n", "rt"),
        ),
        (
            "google",
            {"google": {"client_id": "c", "client_secret": "s", "revocation_url": "{down}"}},
            ProviderLink(USER, "google", "g", "rt"),
        ),
    ],
)
async def test_a_provider_refusing_connections_is_unavailable(
    providers: Providers,
    http: httpx.AsyncClient,
    name: str,
    oauth: dict[str, dict[str, str]],
    link: ProviderLink,
) -> None:
    down = unreachable()
    settings = {
        provider: {key: value.replace("{down}", down) for key, value in values.items()}
        for provider, values in oauth.items()
    }
    with pytest.raises(ProviderUnlinkUnavailableError, match="unreachable: ConnectError"):
        await unlinker(providers, http, name, **settings).unlink(link)
