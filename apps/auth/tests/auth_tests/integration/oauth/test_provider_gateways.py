"""Each provider adapter against a real local server speaking that provider's shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.exceptions.oauth import (
    IdTokenInvalidError,
    NonceMismatchError,
    OAuthProviderError,
)
from auth.application.oauth.ports.provider_gateway import ProviderGateway
from auth.application.oauth.services.pkce import s256_challenge
from auth.setup.oauth_settings import OAuthSettings
from auth.setup.oauth_system import build_providers
from auth_tests.integration.fakes.local_server import serve
from auth_tests.integration.fakes.oauth_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    FakeOAuthProvider,
    Kind,
)
from kernel.clock import Clock, SystemClock
from testkit.clock import ManualClock

REDIRECT_URI = "http://auth.test/api/v1/auth/x/callback"
VERIFIER = "v" * 64
NONCE = "nonce-abc"


def settings_for(kind: Kind, base: str) -> OAuthSettings:
    config: dict[str, Any]
    client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    if kind == "google":
        config = {
            "google": {
                **client,
                "issuer": base,
                "authorization_url": f"{base}/authorize",
                "token_url": f"{base}/token",
                "userinfo_url": f"{base}/userinfo",
                "jwks_url": f"{base}/jwks",
            }
        }
    elif kind == "kakao":
        config = {
            "kakao": {
                **client,
                "issuer": base,
                "authorization_url": f"{base}/authorize",
                "token_url": f"{base}/token",
                "userinfo_url": f"{base}/v2/user/me",
                "jwks_url": f"{base}/jwks",
            }
        }
    elif kind == "naver":
        config = {
            "naver": {
                **client,
                "flow": "legacy",
                "authorization_url": f"{base}/authorize",
                "token_url": f"{base}/token",
                "profile_url": f"{base}/v1/nid/me",
            }
        }
    elif kind == "naver_oidc":
        config = {"naver": {**client, "issuer": base}}  # endpoints by discovery
    else:
        config = {"oidc": {"acme": {**client, "issuer": base}}}
    return OAuthSettings.model_validate(config)


class Setup:
    def __init__(self, fake: FakeOAuthProvider, gateway: ProviderGateway, http: httpx.AsyncClient):
        self.fake = fake
        self.gateway = gateway
        self.http = http

    async def login(self, *, nonce: str | None = NONCE, state: str = "st-1") -> ProviderProfile:
        """Authorize (the fake approves at once), then hand the code to the adapter."""
        url = await self.gateway.authorization_url(
            state=state,
            redirect_uri=REDIRECT_URI,
            code_challenge=s256_challenge(VERIFIER) if self.gateway.supports_pkce else None,
            nonce=nonce if self.gateway.uses_nonce else None,
        )
        answer = await self.http.get(url)
        assert answer.status_code == 302
        back = parse_qs(urlsplit(answer.headers["location"]).query)
        assert back["state"] == [state]
        return await self.gateway.fetch_profile(
            code=back["code"][0],
            state=state,
            redirect_uri=REDIRECT_URI,
            code_verifier=VERIFIER if self.gateway.supports_pkce else None,
            nonce=NONCE if self.gateway.uses_nonce else None,
        )


async def make(kind: Kind, clock: Clock | None = None) -> AsyncIterator[Setup]:
    fake = FakeOAuthProvider(kind)
    async with serve(fake.app()) as base, httpx.AsyncClient() as http:
        fake.base_url = base
        providers = build_providers(settings_for(kind, base), http, clock or SystemClock())
        [gateway] = providers.values()
        yield Setup(fake, gateway, http)


@pytest.fixture(params=["oidc", "google", "kakao", "naver_oidc"])
async def oidc(request: pytest.FixtureRequest) -> AsyncIterator[Setup]:
    async for setup in make(request.param):
        yield setup


@pytest.fixture
async def naver() -> AsyncIterator[Setup]:
    async for setup in make("naver"):
        yield setup


async def test_oidc_providers_log_in_with_pkce_and_a_verified_id_token(oidc: Setup) -> None:
    profile = await oidc.login()
    naver = oidc.fake.kind == "naver_oidc"
    assert profile.provider_user_id == ("naver-24680" if naver else "24680")
    assert profile.email == "eco@example.com"
    assert profile.email_verified is not naver  # Naver never says its e-mail is verified
    assert profile.refresh_token is not None
    assert profile.refresh_token.startswith("rt-")
    [grant_request] = oidc.fake.token_requests
    assert grant_request["form"]["code_verifier"] == VERIFIER
    assert grant_request["form"]["grant_type"] == "authorization_code"
    assert grant_request["form"]["redirect_uri"] == REDIRECT_URI


async def test_authorization_url_carries_pkce_nonce_and_scope(oidc: Setup) -> None:
    url = await oidc.gateway.authorization_url(
        state="s", redirect_uri=REDIRECT_URI, code_challenge="chal", nonce="n"
    )
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge"] == ["chal"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"] == ["n"]
    assert "openid" in query["scope"][0].split()
    assert query["client_id"] == [CLIENT_ID]
    assert query["response_type"] == ["code"]


async def test_kakao_profile_comes_from_the_user_api() -> None:
    async for setup in make("kakao"):
        profile = await setup.login()
        assert (profile.provider, profile.nickname) == ("kakao", "에코")
        assert profile.profile_image_url == "http://k.kakaocdn.net/img.jpg"
        # Kakao takes the client secret in the form (client_secret_post).
        [grant_request] = setup.fake.token_requests
        assert grant_request["form"]["client_secret"] == CLIENT_SECRET
        assert grant_request["authorization"] is None


async def test_generic_oidc_uses_client_secret_basic_from_discovery() -> None:
    async for setup in make("oidc"):
        profile = await setup.login()
        assert profile.nickname == "Eco Tester"
        [grant_request] = setup.fake.token_requests
        assert grant_request["authorization"].startswith("Basic ")
        assert "client_secret" not in grant_request["form"]


async def test_a_wrong_verifier_is_refused_by_the_provider(oidc: Setup) -> None:
    url = await oidc.gateway.authorization_url(
        state="s", redirect_uri=REDIRECT_URI, code_challenge=s256_challenge(VERIFIER), nonce=NONCE
    )
    code = parse_qs(urlsplit((await oidc.http.get(url)).headers["location"]).query)["code"][0]
    with pytest.raises(OAuthProviderError, match="invalid_grant"):
        await oidc.gateway.fetch_profile(
            code=code, state="s", redirect_uri=REDIRECT_URI, code_verifier="x" * 64, nonce=NONCE
        )


async def test_a_tampered_id_token_is_refused(oidc: Setup) -> None:
    oidc.fake.tamper_id_token = True
    with pytest.raises(IdTokenInvalidError):
        await oidc.login()


async def test_an_id_token_signed_by_another_key_is_refused(oidc: Setup) -> None:
    oidc.fake.sign_with_foreign_key = True
    with pytest.raises(IdTokenInvalidError):
        await oidc.login()


async def test_a_wrong_nonce_is_a_nonce_mismatch(oidc: Setup) -> None:
    oidc.fake.claims_override = {"nonce": "someone-elses"}
    with pytest.raises(NonceMismatchError):
        await oidc.login()


@pytest.mark.parametrize(
    "override",
    [
        {"iss": "https://evil.example"},
        {"aud": "another-client"},
        {"exp": 1_000_000_000},
    ],
)
async def test_wrong_issuer_audience_or_expiry_is_refused(
    oidc: Setup, override: dict[str, object]
) -> None:
    oidc.fake.claims_override = override
    with pytest.raises(IdTokenInvalidError):
        await oidc.login()


async def test_jwks_is_cached_and_an_unknown_kid_refetches_at_most_every_30_seconds() -> None:
    clock = ManualClock(datetime.now(UTC))
    async for setup in make("google", clock):
        await setup.login()
        await setup.login()
        assert setup.fake.jwks_fetches == 1
        setup.fake.kid = "rotated"  # the provider rotates its key
        clock.advance(10)
        with pytest.raises(IdTokenInvalidError, match="unknown key"):
            await setup.login()  # inside the window: no refetch, so forged kids cost nothing
        assert setup.fake.jwks_fetches == 1
        clock.advance(20)
        await setup.login()  # window over: one refetch finds the new key
        assert setup.fake.jwks_fetches == 2
        clock.advance(3600)
        await setup.login()  # the cache lifetime is over: refetched once more
        assert setup.fake.jwks_fetches == 3


async def test_naver_oidc_discovers_its_endpoints_and_reads_the_member_profile() -> None:
    async for setup in make("naver_oidc"):
        gateway = setup.gateway
        assert (gateway.supports_pkce, gateway.uses_nonce, gateway.response_mode) == (
            True,
            True,
            "query",
        )
        url = await gateway.authorization_url(
            state="s", redirect_uri=REDIRECT_URI, code_challenge="chal", nonce="n"
        )
        assert url.startswith(f"{setup.fake.base_url}/oauth2/authorize?")
        assert parse_qs(urlsplit(url).query)["scope"] == ["openid profile"]
        profile = await setup.login(state="naver-state")
        # The profile API's `response` object, not the id_token (Naver's holds no profile).
        assert (profile.provider, profile.nickname, profile.profile_image_url) == (
            "naver",
            "네이버에코",
            "https://phinf.pstatic.net/eco.png",
        )
        [grant_request] = setup.fake.token_requests
        # client_secret_post with the state repeated, as Naver's guide asks, and PKCE.
        assert grant_request["authorization"] is None
        assert grant_request["form"]["client_secret"] == CLIENT_SECRET
        assert grant_request["form"]["state"] == "naver-state"
        assert grant_request["form"]["code_verifier"] == VERIFIER


async def test_naver_oidc_refuses_a_profile_of_another_member() -> None:
    async for setup in make("naver_oidc"):
        setup.fake.profile_subject = "naver-someone-else"
        with pytest.raises(OAuthProviderError, match="another member"):
            await setup.login()


@pytest.mark.parametrize("status", [500, 503])
async def test_a_token_endpoint_answering_5xx_is_a_provider_error(oidc: Setup, status: int) -> None:
    oidc.fake.token_status = status
    with pytest.raises(OAuthProviderError, match="refused the code"):
        await oidc.login()


async def test_naver_logs_in_with_state_and_no_pkce(naver: Setup) -> None:
    assert (naver.gateway.supports_pkce, naver.gateway.uses_nonce) == (False, False)
    profile = await naver.login(state="naver-state")
    assert profile.provider_user_id == "naver-24680"
    assert (profile.nickname, profile.email, profile.email_verified) == (
        "네이버에코",
        "eco@example.com",
        False,
    )
    assert profile.refresh_token is not None
    [grant_request] = naver.fake.token_requests
    assert grant_request["form"]["state"] == "naver-state"
    assert "code_verifier" not in grant_request["form"]


async def test_naver_error_answered_with_200_is_a_provider_error(naver: Setup) -> None:
    with pytest.raises(OAuthProviderError, match="invalid_grant"):
        await naver.gateway.fetch_profile(
            code="never-issued",
            state="s",
            redirect_uri=REDIRECT_URI,
            code_verifier=None,
            nonce=None,
        )


async def test_a_provider_that_is_down_is_a_provider_error() -> None:
    settings = settings_for("oidc", "http://127.0.0.1:9")
    async with httpx.AsyncClient() as http:
        [gateway] = build_providers(settings, http, SystemClock()).values()
        with pytest.raises(OAuthProviderError, match="unreachable"):
            await gateway.authorization_url(
                state="s", redirect_uri=REDIRECT_URI, code_challenge=None, nonce=None
            )


def test_unconfigured_providers_get_no_gateway() -> None:
    settings = OAuthSettings.model_validate(
        {"google": {"client_id": "only-an-id"}, "oidc": {"acme": {"issuer": "http://x"}}}
    )
    assert build_providers(settings, httpx.AsyncClient(), SystemClock()) == {}


def test_jwks_cache_window_is_configuration() -> None:
    assert OAuthSettings().metadata_cache_seconds == int(timedelta(hours=1).total_seconds())
