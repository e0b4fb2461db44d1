"""Linking a provider while signed in: authorize with a link intent (a recent session), and
the callback that links for that session only. A real TokenService over in-memory stores."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.oauth.commands.authorize_link import OAuthLinkAuthorizeInteractor
from auth.application.oauth.commands.callback import OAuthCallbackInteractor
from auth.application.oauth.dto.authorize import OAuthLinkAuthorizeRequest
from auth.application.oauth.dto.callback import OAuthCallbackRequest
from auth.application.oauth.dto.link_intent import LinkIntent
from auth.application.oauth.exceptions.oauth import (
    LinkNotSupportedError,
    ReauthenticationRequiredError,
)
from auth.application.oauth.services.oauth_flow_service import OAuthFlowService
from auth.application.oauth.services.redirect_policy import RedirectPolicy
from auth.application.token.dto.token import TokenPair
from auth.application.token.services.token_service import TokenService
from auth.domain.audit.login_audit import LoginResult
from auth.domain.token.token_type import TokenType
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth.infrastructure.security.key_set import load_key_set
from auth_tests.unit.fakes.oauth import (
    FakeProviderGateway,
    FakeProviderRegistry,
    FakeUserAgentParser,
    FakeUsers,
    InMemoryAuditLog,
    InMemoryStateStore,
)
from auth_tests.unit.fakes.provider_link import InMemoryProviderLinks
from auth_tests.unit.fakes.token import (
    InMemoryBlacklistStore,
    InMemorySessionStore,
    RecordingEventPublisher,
)
from testkit.clock import ManualClock
from testkit.rate_limit import InMemoryRateLimit

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
RECENT = timedelta(minutes=10)
FRONTEND = "https://eco2.test"
KEYS = load_key_set(
    keys_dir=None,
    signing_kid=None,
    signing_key_pem=None,
    public_keys_pem=None,
    allow_ephemeral=True,
)


class World:
    def __init__(self) -> None:
        self.clock = ManualClock(NOW)
        self.states = InMemoryStateStore()
        self.google = FakeProviderGateway("google", subject="google-sub")
        self.kakao = FakeProviderGateway("kakao", subject="kakao-sub")
        self.apple = FakeProviderGateway("apple", response_mode="form_post")
        self.sessions = InMemorySessionStore(self.clock)
        self.issuer = Ed25519TokenIssuer(
            KEYS,
            issuer="eco2-auth",
            audience="eco2-api",
            access_ttl=timedelta(minutes=15),
            refresh_ttl=timedelta(days=14),
            clock=self.clock,
        )
        self.tokens = TokenService(
            issuer=self.issuer,
            session_store=self.sessions,
            blacklist_store=(blacklist := InMemoryBlacklistStore(self.clock)),
            event_publisher=RecordingEventPublisher(blacklist),
            clock=self.clock,
            access_ttl=timedelta(minutes=15),
            grace_seconds=10,
        )
        self.users = FakeUsers()
        self.audit = InMemoryAuditLog()
        flow = OAuthFlowService(
            state_store=self.states,
            providers=FakeProviderRegistry(self.google, self.kakao, self.apple),
            clock=self.clock,
        )
        policy = RedirectPolicy(
            callback_base_url="https://api.eco2.test",
            allowed_redirect_uris=[],
            default_frontend_origin=FRONTEND,
            allowed_frontend_origins=[],
            success_path="/login/success",
            error_path="/login/error",
            link_path="/account",
        )
        self.authorize = OAuthLinkAuthorizeInteractor(
            flow=flow, policy=policy, tokens=self.tokens, clock=self.clock, recent_sign_in=RECENT
        )
        self.callback = OAuthCallbackInteractor(
            flow=flow,
            policy=policy,
            users=self.users,
            tokens=self.tokens,
            audit_service=LoginAuditService(clock=self.clock),
            audit_gateway=self.audit,
            transaction=self.audit,
            provider_tokens=InMemoryProviderLinks(),
            rate_limit=InMemoryRateLimit(),
            user_agents=FakeUserAgentParser(),
        )

    async def signed_in(self, provider: str = "google") -> tuple[uuid.UUID, TokenPair]:
        """A user with one identity of ``provider`` and a session signed in now."""
        user_id = uuid.uuid4()
        self.users.accounts[(provider, f"{provider}-sub")] = user_id
        pair = await self.tokens.issue_and_register(
            user_id=user_id, provider=provider, device_id="laptop", user_agent="browser"
        )
        return user_id, pair

    async def start(self, user_id: uuid.UUID, pair: TokenPair, provider: str = "kakao") -> str:
        started = await self.authorize.execute(
            OAuthLinkAuthorizeRequest(
                provider=provider, user_id=user_id, session_id=pair.session_id
            )
        )
        return started.state

    def answer(
        self, state: str, access_token: str | None, provider: str = "kakao"
    ) -> OAuthCallbackRequest:
        return OAuthCallbackRequest(
            provider=provider,
            state=state,
            code="the-code",
            client_ip="198.51.100.4",
            user_agent="browser",
            access_token=access_token,
        )


async def test_a_recent_session_links_the_provider_without_a_new_session() -> None:
    world = World()
    user_id, pair = await world.signed_in()
    world.clock.advance(timedelta(minutes=9))
    state = await world.start(user_id, pair)
    stored = world.states.states[state]
    assert stored.link == LinkIntent(user_id, pair.session_id)
    assert (stored.provider, stored.device_id) == ("kakao", "laptop")
    assert stored.code_verifier is not None
    assert stored.nonce is not None

    result = await world.callback.execute(world.answer(state, pair.access_token))
    assert (result.error, result.intent, result.tokens) == (None, "link", None)
    assert result.redirect_url == f"{FRONTEND}/account?linked=kakao"
    assert world.users.accounts[("kakao", "kakao-sub")] == user_id
    assert world.users.logins == []  # a link is not a login
    assert [s.id for s in await world.sessions.list_for_user(user_id)] == [pair.session_id]
    [audit] = world.audit.committed
    assert (audit.result, audit.reason, audit.user_id, audit.provider, audit.session_id) == (
        LoginResult.LINK,
        None,
        user_id,
        "kakao",
        pair.session_id,
    )


async def test_an_expired_access_token_still_names_its_live_session() -> None:
    world = World()
    user_id, pair = await world.signed_in()
    state = await world.start(user_id, pair)
    world.clock.advance(timedelta(minutes=16))  # the access token has expired
    result = await world.callback.execute(world.answer(state, pair.access_token))
    assert result.error is None
    assert world.users.accounts[("kakao", "kakao-sub")] == user_id


async def test_a_session_that_signed_in_too_long_ago_must_sign_in_again() -> None:
    world = World()
    user_id, pair = await world.signed_in()
    world.clock.advance(timedelta(minutes=9))
    # A refresh renews the tokens, not the sign-in.
    rotated = await world.tokens.rotate(world.issuer.verify(pair.refresh_token, TokenType.REFRESH))
    assert rotated.pair is not None
    world.clock.advance(timedelta(minutes=1, seconds=1))
    with pytest.raises(ReauthenticationRequiredError) as caught:
        await world.start(user_id, pair)
    assert caught.value.code == "REAUTHENTICATION_REQUIRED"
    assert world.states.states == {}


async def test_an_ended_session_cannot_start_a_link() -> None:
    world = World()
    user_id, pair = await world.signed_in()
    await world.tokens.end_session(user_id, pair.session_id)
    with pytest.raises(ReauthenticationRequiredError):
        await world.start(user_id, pair)
    other_user = uuid.uuid4()
    _, live = await world.signed_in()
    with pytest.raises(ReauthenticationRequiredError):  # a session of another user
        await world.start(other_user, live)
    assert world.states.states == {}


async def test_a_form_post_provider_cannot_be_linked() -> None:
    world = World()
    user_id, pair = await world.signed_in()
    with pytest.raises(LinkNotSupportedError):
        await world.start(user_id, pair, provider="apple")
    assert world.states.states == {}


@pytest.mark.parametrize("token", ["none", "other-session", "garbage"])
async def test_only_the_browser_holding_the_session_finishes_the_link(token: str) -> None:
    """A link state handed to another browser (an attacker's link URL, opened by a victim
    already consented at the provider) must not attach that browser's provider account."""
    world = World()
    user_id, pair = await world.signed_in()
    state = await world.start(user_id, pair)
    other = await world.tokens.issue_and_register(
        user_id=user_id, provider="google", device_id="phone", user_agent="app"
    )
    presented = {"none": None, "other-session": other.access_token, "garbage": "x.y.z"}[token]
    result = await world.callback.execute(world.answer(state, presented))
    assert (result.error, result.intent) == ("link_session_mismatch", "link")
    assert result.redirect_url == f"{FRONTEND}/account?error=link_session_mismatch"
    assert world.kakao.exchanges == []  # the code was never exchanged
    assert world.users.identities == []
    assert ("kakao", "kakao-sub") not in world.users.accounts
    [audit] = world.audit.committed
    assert (audit.result, audit.reason, audit.user_id, audit.session_id) == (
        LoginResult.LINK_FAILURE,
        "link_session_mismatch",
        user_id,
        pair.session_id,
    )


async def test_a_session_ended_during_the_link_does_not_finish_it() -> None:
    world = World()
    user_id, pair = await world.signed_in()
    state = await world.start(user_id, pair)
    await world.tokens.end_session(user_id, pair.session_id)  # logged out meanwhile
    result = await world.callback.execute(world.answer(state, pair.access_token))
    assert result.error == "link_session_mismatch"
    assert ("kakao", "kakao-sub") not in world.users.accounts


async def test_an_identity_of_another_user_is_already_linked_and_nothing_changes() -> None:
    world = World()
    owner = uuid.uuid4()
    world.users.accounts[("kakao", "kakao-sub")] = owner
    user_id, pair = await world.signed_in()
    state = await world.start(user_id, pair)
    result = await world.callback.execute(world.answer(state, pair.access_token))
    assert (result.error, result.tokens) == ("account_already_linked", None)
    assert result.redirect_url == f"{FRONTEND}/account?error=account_already_linked"
    assert world.users.accounts == {
        ("kakao", "kakao-sub"): owner,
        ("google", "google-sub"): user_id,
    }
    assert [s.id for s in await world.sessions.list_for_user(user_id)] == [pair.session_id]
    assert await world.sessions.list_for_user(owner) == []
    [audit] = world.audit.committed
    assert (audit.result, audit.reason, audit.user_id) == (
        LoginResult.LINK_FAILURE,
        "account_already_linked",
        user_id,
    )


async def test_a_second_account_of_a_linked_provider_is_refused() -> None:
    world = World()
    user_id, pair = await world.signed_in()
    world.users.accounts[("kakao", "another-kakao")] = user_id
    state = await world.start(user_id, pair)
    result = await world.callback.execute(world.answer(state, pair.access_token))
    assert result.error == "provider_already_linked"
    assert ("kakao", "kakao-sub") not in world.users.accounts


async def test_users_down_is_users_unavailable_and_nothing_is_linked() -> None:
    world = World()
    user_id, pair = await world.signed_in()
    state = await world.start(user_id, pair)
    world.users.unavailable = True
    result = await world.callback.execute(world.answer(state, pair.access_token))
    assert result.redirect_url == f"{FRONTEND}/account?error=users_unavailable"
    assert ("kakao", "kakao-sub") not in world.users.accounts
    assert world.audit.committed[0].result == LoginResult.LINK_FAILURE


async def test_a_link_state_works_once() -> None:
    world = World()
    user_id, pair = await world.signed_in()
    state = await world.start(user_id, pair)
    await world.callback.execute(world.answer(state, pair.access_token))
    replay = await world.callback.execute(world.answer(state, pair.access_token))
    # The state was not read: nothing says it was a link, so it is a login's failure.
    assert (replay.error, replay.intent) == ("invalid_state", "login")
    assert replay.redirect_url == f"{FRONTEND}/login/error?error=invalid_state"
    assert [a.result for a in world.audit.committed] == [LoginResult.LINK, LoginResult.FAILURE]
