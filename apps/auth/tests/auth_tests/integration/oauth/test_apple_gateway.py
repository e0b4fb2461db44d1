"""The Sign in with Apple adapter against a local server speaking Apple's shapes: the
form_post authorization, the ES256 client secret as Apple checks it, the id_token of the
code exchange verified against the JWKS, the name from the first authorization only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
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
from auth_tests.integration.fakes.apple_provider import (
    CLIENT_ID,
    KEY_ID,
    TEAM_ID,
    FakeApple,
    posted_form,
)
from auth_tests.integration.fakes.local_server import serve
from kernel.clock import SystemClock

REDIRECT_URI = "http://auth.test/api/v1/auth/apple/callback"
NONCE = "nonce-apple-1"
VERIFIER = "v" * 64


@dataclass
class Apple:
    fake: FakeApple
    gateway: ProviderGateway
    browser: httpx.AsyncClient

    async def approve(self, *, state: str = "st-1", nonce: str = NONCE) -> dict[str, str]:
        """Authorize; the fields Apple's page posts back to the redirect URI."""
        url = await self.gateway.authorization_url(
            state=state,
            redirect_uri=REDIRECT_URI,
            code_challenge=s256_challenge(VERIFIER) if self.gateway.supports_pkce else None,
            nonce=nonce,
        )
        page = await self.browser.get(url)
        assert page.status_code == 200, page.text
        action, fields = posted_form(page.text)
        assert action == REDIRECT_URI
        assert fields["state"] == state
        return fields

    async def login(self, *, nonce: str = NONCE) -> ProviderProfile:
        fields = await self.approve()
        return await self.gateway.fetch_profile(
            code=fields["code"],
            state=fields["state"],
            redirect_uri=REDIRECT_URI,
            code_verifier=VERIFIER if self.gateway.supports_pkce else None,
            nonce=nonce,
            user_details=fields.get("user"),
        )


async def apple_world(fake: FakeApple, **settings: Any) -> AsyncIterator[Apple]:
    async with serve(fake.app()) as base, httpx.AsyncClient() as http:
        fake.base_url = base
        oauth = OAuthSettings.model_validate({"apple": {**fake.settings(), **settings}})
        [gateway] = build_providers(oauth, http, SystemClock()).values()
        yield Apple(fake, gateway, http)


@pytest.fixture(params=["RS256", "ES256"])
async def apple(request: pytest.FixtureRequest) -> AsyncIterator[Apple]:
    """Apple signs its id_tokens with RS256 (its JWKS holds RSA keys); any asymmetric
    algorithm its JWKS names is verified the same way."""
    async for world in apple_world(FakeApple(id_token_alg=request.param)):
        yield world


async def test_the_authorization_url_asks_for_a_form_post_with_name_email_and_nonce(
    apple: Apple,
) -> None:
    assert (apple.gateway.name, apple.gateway.response_mode) == ("apple", "form_post")
    assert (apple.gateway.uses_nonce, apple.gateway.supports_pkce) == (True, False)
    url = await apple.gateway.authorization_url(
        state="s", redirect_uri=REDIRECT_URI, code_challenge=None, nonce="n"
    )
    assert url.startswith(f"{apple.fake.base_url}/auth/authorize?")
    assert parse_qs(urlsplit(url).query) == {
        "response_type": ["code"],
        "response_mode": ["form_post"],
        "client_id": [CLIENT_ID],
        "redirect_uri": [REDIRECT_URI],
        "scope": ["name email"],
        "state": ["s"],
        "nonce": ["n"],
    }


async def test_a_login_with_a_private_relay_address_and_string_booleans(apple: Apple) -> None:
    profile = await apple.login()
    assert profile.provider == "apple"
    assert profile.provider_user_id == apple.fake.subject
    assert profile.email == "x7k2p9q4mz@privaterelay.appleid.com"
    assert profile.email_verified is True  # Apple said "true", a string
    assert profile.nickname == "Eco Kim"  # from the first authorization's `user` field
    assert profile.profile_image_url is None
    assert profile.refresh_token is not None
    assert profile.refresh_token.startswith("r")


async def test_the_client_secret_is_the_es256_jwt_apple_verifies_with_the_team_key(
    apple: Apple,
) -> None:
    await apple.login()
    [request] = apple.fake.token_requests
    assert (request["client_id"], request["grant_type"], request["redirect_uri"]) == (
        CLIENT_ID,
        "authorization_code",
        REDIRECT_URI,
    )
    # The fake decoded it with the team's public key, as Apple does.
    [(header, claims)] = apple.fake.client_secrets
    assert (header["alg"], header["kid"]) == ("ES256", KEY_ID)
    assert (claims["iss"], claims["sub"], claims["aud"]) == (
        TEAM_ID,
        CLIENT_ID,
        apple.fake.issuer,
    )
    assert claims["exp"] - claims["iat"] == 300  # short-lived: the default five minutes


async def test_the_name_comes_only_with_the_first_authorization(apple: Apple) -> None:
    first = await apple.login()
    second = await apple.login()
    assert (first.nickname, second.nickname) == ("Eco Kim", None)
    assert first.provider_user_id == second.provider_user_id
    assert second.email == first.email  # the e-mail is in every id_token


async def test_the_email_comes_from_the_verified_id_token_not_from_the_user_field(
    apple: Apple,
) -> None:
    fields = await apple.approve()
    forged_user = '{"name": {"firstName": "Eco"}, "email": "victim@example.com"}'
    profile = await apple.gateway.fetch_profile(
        code=fields["code"],
        state=fields["state"],
        redirect_uri=REDIRECT_URI,
        code_verifier=None,
        nonce=NONCE,
        user_details=forged_user,
    )
    assert (profile.email, profile.nickname) == (apple.fake.email, "Eco")


@pytest.mark.parametrize(
    ("verified", "private", "expected"),
    [(True, False, True), ("false", "false", False), (None, None, False)],
    ids=["json-booleans", "string-false", "absent"],
)
async def test_email_verified_as_json_or_string(
    apple: Apple, verified: object, private: object, expected: bool
) -> None:
    apple.fake.email_verified, apple.fake.is_private_email = verified, private
    apple.fake.email = "eco@icloud.com"
    profile = await apple.login()
    assert (profile.email, profile.email_verified) == ("eco@icloud.com", expected)


async def test_an_id_token_signed_by_another_key_is_refused(apple: Apple) -> None:
    apple.fake.sign_with_foreign_key = True
    with pytest.raises(IdTokenInvalidError):
        await apple.login()


async def test_a_wrong_nonce_is_a_nonce_mismatch(apple: Apple) -> None:
    with pytest.raises(NonceMismatchError):
        await apple.login(nonce="the-nonce-this-login-did-not-send")


@pytest.mark.parametrize(
    "override",
    [
        {"aud": "com.someone.else"},
        {"iss": "https://appleid.example"},
        {"exp": 1_000_000_000, "iat": 999_999_000},
    ],
    ids=["wrong-aud", "wrong-iss", "expired"],
)
async def test_wrong_audience_issuer_or_expiry_is_refused(
    apple: Apple, override: dict[str, object]
) -> None:
    apple.fake.claims_override = override
    with pytest.raises(IdTokenInvalidError):
        await apple.login()


@pytest.mark.parametrize("status", [500, 503])
async def test_a_token_endpoint_answering_5xx_is_a_provider_error(
    apple: Apple, status: int
) -> None:
    apple.fake.token_status = status
    with pytest.raises(OAuthProviderError, match="refused the code"):
        await apple.login()


async def test_a_token_endpoint_that_is_down_is_a_provider_error() -> None:
    async for world in apple_world(FakeApple(), token_url="http://127.0.0.1:9/auth/token"):
        with pytest.raises(OAuthProviderError, match="unreachable"):
            await world.login()


async def test_a_client_secret_signed_with_another_key_is_refused_by_apple() -> None:
    fake = FakeApple()
    async for world in apple_world(fake):
        # auth was configured with a key Apple does not know for this team.
        fake.team_key = FakeApple().team_key
        with pytest.raises(OAuthProviderError, match="invalid_client"):
            await world.login()


async def test_pkce_is_sent_when_configured() -> None:
    async for world in apple_world(FakeApple(), pkce=True):
        profile = await world.login()
        assert profile.provider_user_id == world.fake.subject
        [authorize] = world.fake.authorize_requests
        assert authorize["code_challenge"] == s256_challenge(VERIFIER)
        assert world.fake.token_requests[0]["code_verifier"] == VERIFIER
