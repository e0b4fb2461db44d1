"""OAuthAuthorizeInteractor with in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from auth.application.oauth.commands.authorize import OAuthAuthorizeInteractor
from auth.application.oauth.dto.authorize import OAuthAuthorizeRequest
from auth.application.oauth.exceptions.oauth import (
    FrontendOriginNotAllowedError,
    OAuthProviderError,
    ProviderNotConfiguredError,
    ProviderNotFoundError,
    RedirectUriNotAllowedError,
    StateCollisionError,
)
from auth.application.oauth.services.oauth_flow_service import OAuthFlowService
from auth.application.oauth.services.pkce import s256_challenge
from auth.application.oauth.services.redirect_policy import RedirectPolicy
from auth_tests.unit.fakes.oauth import (
    FakeProviderGateway,
    FakeProviderRegistry,
    InMemoryStateStore,
)
from testkit.clock import ManualClock

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def build(store: InMemoryStateStore | None = None, google: FakeProviderGateway | None = None):
    store = store or InMemoryStateStore()
    registry = FakeProviderRegistry(
        google or FakeProviderGateway("google"),
        FakeProviderGateway("naver", supports_pkce=False, uses_nonce=False),
        unconfigured=("kakao",),
    )
    flow = OAuthFlowService(state_store=store, providers=registry, clock=ManualClock(NOW))
    policy = RedirectPolicy(
        callback_base_url="https://api.eco2.test",
        allowed_redirect_uris=[],
        default_frontend_origin="https://eco2.test",
        allowed_frontend_origins=["https://admin.eco2.test"],
        success_path="/login/success",
        error_path="/login/error",
    )
    return OAuthAuthorizeInteractor(flow, policy), store


async def test_oidc_provider_gets_state_pkce_and_nonce_all_stored() -> None:
    interactor, store = build()
    response = await interactor.execute(
        OAuthAuthorizeRequest("google", frontend_origin="https://admin.eco2.test", device_id="d1")
    )
    query = parse_qs(urlsplit(response.authorization_url).query)
    stored = store.states[response.state]
    assert query["state"] == [response.state]
    assert stored.code_verifier is not None
    assert stored.nonce is not None
    assert query["code_challenge"] == [s256_challenge(stored.code_verifier)]
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"] == [stored.nonce]
    assert query["redirect_uri"] == ["https://api.eco2.test/api/v1/auth/google/callback"]
    assert (stored.provider, stored.frontend_origin, stored.device_id) == (
        "google",
        "https://admin.eco2.test",
        "d1",
    )
    assert stored.redirect_uri == "https://api.eco2.test/api/v1/auth/google/callback"
    assert store.ttls[response.state] == 600
    assert response.expires_at == NOW + timedelta(minutes=10)


async def test_plain_oauth_provider_without_pkce_gets_state_only() -> None:
    interactor, store = build()
    response = await interactor.execute(OAuthAuthorizeRequest("naver"))
    query = parse_qs(urlsplit(response.authorization_url).query)
    stored = store.states[response.state]
    assert "code_challenge" not in query
    assert "nonce" not in query
    assert (stored.code_verifier, stored.nonce) == (None, None)
    assert stored.frontend_origin == "https://eco2.test"


async def test_every_request_gets_its_own_state() -> None:
    interactor, store = build()
    states = {(await interactor.execute(OAuthAuthorizeRequest("google"))).state for _ in range(20)}
    assert len(states) == 20
    assert set(store.states) == states


async def test_a_colliding_state_is_regenerated_not_overwritten() -> None:
    interactor, store = build(InMemoryStateStore(refuse_first=2))
    response = await interactor.execute(OAuthAuthorizeRequest("google"))
    assert list(store.states) == [response.state]


async def test_persistent_collisions_fail_instead_of_overwriting() -> None:
    interactor, store = build(InMemoryStateStore(refuse_first=3))
    with pytest.raises(StateCollisionError):
        await interactor.execute(OAuthAuthorizeRequest("google"))
    assert store.states == {}


@pytest.mark.parametrize(
    ("request_", "error"),
    [
        (OAuthAuthorizeRequest("facebook"), ProviderNotFoundError),
        (OAuthAuthorizeRequest("kakao"), ProviderNotConfiguredError),
        (
            OAuthAuthorizeRequest("google", redirect_uri="https://evil.test/cb"),
            RedirectUriNotAllowedError,
        ),
        (
            OAuthAuthorizeRequest("google", frontend_origin="https://evil.test"),
            FrontendOriginNotAllowedError,
        ),
    ],
)
async def test_refusals_store_no_state(
    request_: OAuthAuthorizeRequest, error: type[Exception]
) -> None:
    interactor, store = build()
    with pytest.raises(error):
        await interactor.execute(request_)
    assert store.states == {}


async def test_a_provider_that_cannot_build_its_url_leaves_no_state() -> None:
    down = FakeProviderGateway("google", url_error=OAuthProviderError("discovery failed"))
    interactor, store = build(google=down)
    with pytest.raises(OAuthProviderError):
        await interactor.execute(OAuthAuthorizeRequest("google"))
    assert store.states == {}
