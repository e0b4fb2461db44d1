"""OAuthCallbackInteractor with in-memory fakes: success, every failure code, no half-writes."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import pytest

from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.oauth.commands.callback import OAuthCallbackInteractor
from auth.application.oauth.dto.callback import OAuthCallbackRequest
from auth.application.oauth.dto.oauth_state import OAuthState
from auth.application.oauth.dto.response_mode import ResponseMode
from auth.application.oauth.exceptions.oauth import (
    IdTokenInvalidError,
    NonceMismatchError,
    OAuthProviderError,
    OAuthStateUnavailableError,
)
from auth.application.oauth.services.oauth_flow_service import OAuthFlowService
from auth.application.oauth.services.redirect_policy import RedirectPolicy
from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.token.dto.device import DeviceDescription
from auth.application.users.exceptions.account import (
    AccountDisabledError,
    AccountPendingDeletionError,
)
from auth_tests.unit.fakes.oauth import (
    FakeProviderGateway,
    FakeProviderRegistry,
    FakeTokenService,
    FakeUserAgentParser,
    FakeUsers,
    InMemoryAuditLog,
    InMemoryStateStore,
)
from auth_tests.unit.fakes.provider_link import InMemoryProviderLinks
from testkit.clock import ManualClock
from testkit.rate_limit import InMemoryRateLimit

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
DEFAULT_FRONTEND = "https://default.eco2.test"  # where a failure before the state was read goes


class UnavailableStateStore(InMemoryStateStore):
    """The state store with its Redis down."""

    async def consume(self, state: str) -> OAuthState | None:
        raise OAuthStateUnavailableError


def logged_audits(caplog: pytest.LogCaptureFixture) -> list[dict[str, str | None]]:
    """The audit rows written to the log because their database refused them."""
    return [r.__dict__["login_audit"] for r in caplog.records if "login_audit" in r.__dict__]


class SharedTransaction:
    """The one database session of a callback: commits the audit and the provider links."""

    def __init__(self, audit: InMemoryAuditLog, links: InMemoryProviderLinks) -> None:
        self._audit = audit
        self._links = links

    async def commit(self) -> None:
        await self._audit.commit()
        await self._links.commit()


class World:
    def __init__(
        self, store: InMemoryStateStore | None = None, rate_limit: InMemoryRateLimit | None = None
    ) -> None:
        self.store = store or InMemoryStateStore()
        self.rate_limit = rate_limit or InMemoryRateLimit()
        self.user_agents = FakeUserAgentParser()
        self.google = FakeProviderGateway("google")
        self.kakao = FakeProviderGateway("kakao")
        self.apple = FakeProviderGateway("apple", response_mode="form_post")
        self.users = FakeUsers()
        self.tokens = FakeTokenService()
        self.audit = InMemoryAuditLog()
        self.links = InMemoryProviderLinks()
        flow = OAuthFlowService(
            state_store=self.store,
            providers=FakeProviderRegistry(self.google, self.kakao, self.apple),
            clock=ManualClock(NOW),
        )
        self.interactor = OAuthCallbackInteractor(
            flow=flow,
            policy=RedirectPolicy(
                callback_base_url="https://api.eco2.test",
                allowed_redirect_uris=[],
                default_frontend_origin=DEFAULT_FRONTEND,
                allowed_frontend_origins=["https://eco2.test"],
                success_path="/login/success",
                error_path="/login/error",
            ),
            users=self.users,
            tokens=self.tokens,  # type: ignore[arg-type]
            audit_service=LoginAuditService(clock=ManualClock(NOW)),
            audit_gateway=self.audit,
            transaction=SharedTransaction(self.audit, self.links),
            provider_tokens=self.links,
            rate_limit=self.rate_limit,
            user_agents=self.user_agents,
        )

    def pending(self, state: str = "state-1", provider: str = "google") -> str:
        self.store.states[state] = OAuthState(
            state=state,
            provider=provider,
            redirect_uri=f"https://api.eco2.test/api/v1/auth/{provider}/callback",
            frontend_origin="https://eco2.test",
            created_at=NOW,
            code_verifier="verifier-" + state,
            nonce="nonce-" + state,
            device_id="device-9",
        )
        return state

    def callback(
        self,
        provider: str = "google",
        response_mode: ResponseMode = "query",
        **kwargs: str | None,
    ) -> OAuthCallbackRequest:
        return OAuthCallbackRequest(
            provider=provider,
            response_mode=response_mode,
            client_ip="198.51.100.4",
            user_agent="test-agent",
            **kwargs,
        )


async def test_a_good_callback_logs_in_and_audits_the_session() -> None:
    world = World()
    described = DeviceDescription(device="iPhone", os="iOS 17.2", browser="Mobile Safari 17.2")
    world.user_agents.known["test-agent"] = described
    state = world.pending()
    result = await world.interactor.execute(world.callback(state=state, code="the-code"))
    assert result.error is None
    assert result.tokens is not None
    assert result.redirect_url == "https://eco2.test/login/success"
    assert world.google.exchanges == [
        {
            "code": "the-code",
            "redirect_uri": "https://api.eco2.test/api/v1/auth/google/callback",
            "verifier": "verifier-state-1",
            "nonce": "nonce-state-1",
            "user_details": None,
        }
    ]
    session = world.tokens.sessions[result.tokens.session_id]
    assert session == {
        "user_id": result.user_id,
        "provider": "google",
        "device_id": "device-9",
        "user_agent": "test-agent",
        "ip_address": "198.51.100.4",
        "described": described,
    }
    assert world.users.logins == [(result.user_id, "google")]
    [audit] = world.audit.committed
    assert (audit.result, audit.reason, audit.user_id) == ("success", None, result.user_id)
    assert (audit.session_id, audit.access_jti) == (
        result.tokens.session_id,
        result.tokens.access_jti,
    )
    assert (audit.client_ip, audit.user_agent, audit.provider) == (
        "198.51.100.4",
        "test-agent",
        "google",
    )


async def test_a_callback_over_the_address_limit_is_refused_before_the_state_is_read() -> None:
    world = World(rate_limit=InMemoryRateLimit(limit=1))
    first, second = world.pending("state-1"), world.pending("state-2")
    assert (await world.interactor.execute(world.callback(state=first, code="c"))).error is None
    refused = await world.interactor.execute(world.callback(state=second, code="c"))
    assert (refused.error, refused.tokens, refused.redirect_url) == (
        "rate_limited",
        None,
        f"{DEFAULT_FRONTEND}/login/error?error=rate_limited",
    )
    assert second in world.store.states  # not consumed: the login can be finished later
    assert len(world.google.exchanges) == 1
    assert world.rate_limit.admitted == {"198.51.100.4": 1}
    audit = world.audit.committed[-1]
    assert (audit.result, audit.reason, audit.client_ip, audit.user_id) == (
        "failure",
        "rate_limited",
        "198.51.100.4",
        None,
    )


async def test_replaying_the_callback_fails_with_invalid_state_and_no_second_session() -> None:
    world = World()
    state = world.pending()
    first = await world.interactor.execute(world.callback(state=state, code="c"))
    replay = await world.interactor.execute(world.callback(state=state, code="c"))
    assert first.error is None
    assert (replay.error, replay.tokens, replay.redirect_url) == (
        "invalid_state",
        None,
        f"{DEFAULT_FRONTEND}/login/error?error=invalid_state",
    )
    assert len(world.tokens.sessions) == 1
    assert [a.result for a in world.audit.committed] == ["success", "failure"]
    assert world.audit.committed[1].reason == "invalid_state"


async def test_a_state_of_another_provider_is_a_provider_mismatch_and_is_used_up() -> None:
    world = World()
    state = world.pending(provider="kakao")
    result = await world.interactor.execute(world.callback("google", state=state, code="c"))
    assert result.error == "provider_mismatch"
    assert result.redirect_url == "https://eco2.test/login/error?error=provider_mismatch"
    assert state not in world.store.states
    assert world.kakao.exchanges == []
    assert world.google.exchanges == []
    assert world.tokens.sessions == {}


@pytest.mark.parametrize(
    ("provider_error", "code"),
    [
        ("access_denied", "access_denied"),
        ("user_cancelled_authorize", "access_denied"),  # Apple's
        ("server_error", "provider_error"),
    ],
)
async def test_an_error_from_the_provider_is_reported(provider_error: str, code: str) -> None:
    world = World()
    state = world.pending()
    result = await world.interactor.execute(world.callback(state=state, error=provider_error))
    assert result.error == code
    assert world.google.exchanges == []
    assert world.audit.committed[0].reason == code


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (IdTokenInvalidError(), "id_token_invalid"),
        (NonceMismatchError(), "nonce_mismatch"),
        (OAuthProviderError(), "provider_error"),
    ],
)
async def test_a_failed_exchange_creates_no_user_and_no_session(
    error: Exception, code: str
) -> None:
    world = World()
    world.google.error = error
    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))
    assert result.error == code
    assert world.users.accounts == {}
    assert world.tokens.sessions == {}
    [audit] = world.audit.committed
    assert (audit.result, audit.reason, audit.user_id) == ("failure", code, None)


async def test_users_down_is_users_unavailable_and_no_session() -> None:
    world = World()
    world.users.unavailable = True
    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))
    assert result.error == "users_unavailable"
    assert world.tokens.sessions == {}


async def test_a_profile_users_refuses_is_users_rejected_audited_and_no_session() -> None:
    world = World()
    world.users.rejecting = True
    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))
    assert result.error == "users_rejected"
    assert world.tokens.sessions == {}
    [audit] = world.audit.committed
    assert (audit.result, audit.reason) == ("failure", "users_rejected")


async def test_the_provider_nickname_reaches_users_normalised() -> None:
    world = World()
    world.google.nickname = f" e\x00co{chr(0xD800)}\u202e\t" + "x" * 200
    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))
    assert result.error is None
    [identity] = world.users.identities
    assert identity.nickname == ("eco " + "x" * 200)[:100]


async def test_login_record_failure_keeps_the_user_in_the_audit_and_opens_no_session() -> None:
    world = World()
    world.users.fail_record_login = True
    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))
    assert result.error == "users_unavailable"
    assert world.tokens.sessions == {}
    [audit] = world.audit.committed
    assert audit.user_id is not None
    assert audit.reason == "users_unavailable"


async def test_missing_state_or_code_are_specific_failures() -> None:
    world = World()
    assert (await world.interactor.execute(world.callback(code="c"))).error == "invalid_state"
    no_code = await world.interactor.execute(world.callback(state=world.pending()))
    assert no_code.error == "provider_error"


async def test_unknown_provider_in_the_callback_is_audited_as_such() -> None:
    world = World()
    state = world.pending(provider="facebook")
    result = await world.interactor.execute(world.callback("facebook", state=state, code="c"))
    assert result.error == "provider_not_found"
    assert world.audit.committed[0].provider == "facebook"


async def test_if_the_success_audit_cannot_be_written_the_login_succeeds_and_the_row_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = World()
    world.audit.fail_commit = True
    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))
    assert result.error is None
    assert result.tokens is not None
    assert list(world.tokens.sessions) == [result.tokens.session_id]
    assert world.tokens.ended == []
    # The audit database is not on the login's path: the success row is in the log,
    # one line with the error chain, no traceback.
    [row] = logged_audits(caplog)
    [record] = [r for r in caplog.records if "login_audit" in r.__dict__]
    assert record.exc_info is None
    assert record.__dict__["error"]
    assert (row["result"], row["reason"]) == ("success", None)
    assert row["session_id"] == result.tokens.session_id
    assert row["user_id"] == str(next(iter(world.users.accounts.values())))


async def test_an_unstored_failure_audit_goes_to_the_log_with_every_field(
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = World()
    world.audit.fail_commit = True
    result = await world.interactor.execute(world.callback(state="unknown", code="c"))
    assert result.error == "invalid_state"
    [record] = [r for r in caplog.records if "login_audit" in r.__dict__]
    assert record.levelno == logging.ERROR
    row = record.__dict__["login_audit"]
    assert set(row) == {
        "id",
        "occurred_at",
        "result",
        "reason",
        "provider",
        "user_id",
        "session_id",
        "access_jti",
        "client_ip",
        "user_agent",
    }
    assert uuid.UUID(row["id"])
    assert row["occurred_at"] == NOW.isoformat()
    assert (row["result"], row["reason"], row["provider"]) == ("failure", "invalid_state", "google")
    assert (row["client_ip"], row["user_agent"]) == ("198.51.100.4", "test-agent")
    assert (row["user_id"], row["session_id"], row["access_jti"]) == (None, None, None)


async def test_an_unexpected_exception_is_audited_as_server_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = World()
    world.google.error = KeyError("a bug in a provider adapter")
    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))
    assert (result.error, result.tokens, result.redirect_url) == (
        "server_error",
        None,
        "https://eco2.test/login/error?error=server_error",
    )
    [audit] = world.audit.committed
    assert (audit.result, audit.reason, audit.client_ip) == (
        "failure",
        "server_error",
        "198.51.100.4",
    )
    assert any(r.exc_info and "unexpectedly" in r.getMessage() for r in caplog.records)


async def test_the_state_store_down_is_an_audited_state_store_unavailable() -> None:
    world = World(store=UnavailableStateStore())
    result = await world.interactor.execute(world.callback(state="state-1", code="c"))
    assert (result.error, result.redirect_url) == (
        "state_store_unavailable",
        f"{DEFAULT_FRONTEND}/login/error?error=state_store_unavailable",
    )
    [audit] = world.audit.committed
    assert (audit.result, audit.reason) == ("failure", "state_store_unavailable")
    assert world.google.exchanges == []


async def test_a_form_post_provider_logs_in_from_the_posted_form_with_its_user_field() -> None:
    world = World()
    state = world.pending(provider="apple")
    result = await world.interactor.execute(
        world.callback("apple", "form_post", state=state, code="c", user_details='{"name": {}}')
    )
    assert result.error is None
    assert result.redirect_url == "https://eco2.test/login/success"
    [exchange] = world.apple.exchanges
    assert exchange["user_details"] == '{"name": {}}'


@pytest.mark.parametrize(
    ("provider", "response_mode"),
    [("google", "form_post"), ("apple", "query")],
    ids=["posted-to-a-redirecting-provider", "redirect-for-a-posting-provider"],
)
async def test_an_answer_that_comes_the_other_way_is_refused_and_leaves_the_state(
    provider: str, response_mode: ResponseMode
) -> None:
    world = World()
    state = world.pending(provider=provider)
    result = await world.interactor.execute(
        world.callback(provider, response_mode, state=state, code="c")
    )
    assert (result.error, result.tokens) == ("response_mode_mismatch", None)
    assert result.redirect_url == f"{DEFAULT_FRONTEND}/login/error?error=response_mode_mismatch"
    assert state in world.store.states  # the genuine answer can still use it
    assert world.google.exchanges == world.apple.exchanges == []
    assert world.users.identities == []
    [audit] = world.audit.committed
    assert (audit.result, audit.reason, audit.provider) == (
        "failure",
        "response_mode_mismatch",
        provider,
    )


async def test_an_account_pending_deletion_gets_a_restore_ticket_and_no_session() -> None:
    world = World()
    user_id = uuid.uuid4()
    purge_after = datetime(2026, 6, 1, tzinfo=UTC)
    world.users.refusal = AccountPendingDeletionError(user_id, purge_after)

    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))

    assert result.error == "account_pending_deletion"
    assert result.redirect_url == (
        "https://eco2.test/login/error?error=account_pending_deletion"
        "&purge_after=2026-06-01T00%3A00%3A00%2B00%3A00"
    )
    assert result.tokens is None
    assert world.tokens.sessions == {}
    assert world.tokens.restore_tickets == [user_id]
    assert result.restore_ticket is not None
    assert result.restore_ticket.token == f"restore-{user_id}"
    assert world.users.logins == []
    [audit] = world.audit.committed
    assert (audit.result, audit.reason, audit.user_id) == (
        "failure",
        "account_pending_deletion",
        user_id,
    )


async def test_a_disabled_account_is_refused_without_a_ticket() -> None:
    world = World()
    user_id = uuid.uuid4()
    world.users.refusal = AccountDisabledError(user_id)

    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))

    assert (result.error, result.redirect_url) == (
        "account_disabled",
        "https://eco2.test/login/error?error=account_disabled",
    )
    assert (result.tokens, result.restore_ticket) == (None, None)
    assert world.tokens.sessions == {}
    assert world.tokens.restore_tickets == []
    [audit] = world.audit.committed
    assert (audit.reason, audit.user_id) == ("account_disabled", user_id)


async def test_a_login_keeps_the_link_and_the_providers_refresh_token() -> None:
    world = World()
    world.google.refresh_token = "google-refresh-1"
    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))
    assert result.error is None
    assert result.provider_token_stored is True
    assert result.user_id is not None
    assert world.links.rows == {
        ("google", "subject-1"): ProviderLink(
            result.user_id, "google", "subject-1", "google-refresh-1"
        )
    }


async def test_a_login_without_a_refresh_token_keeps_the_one_stored_and_a_new_one_replaces_it() -> (
    None
):
    world = World()
    world.google.refresh_token = "first"
    await world.interactor.execute(world.callback(state=world.pending("s1"), code="c"))
    world.google.refresh_token = None  # Google issues one at the first consent only
    again = await world.interactor.execute(world.callback(state=world.pending("s2"), code="c"))
    assert again.provider_token_stored is True
    [kept] = world.links.rows.values()
    assert kept.refresh_token == "first"
    world.google.refresh_token = "second"
    await world.interactor.execute(world.callback(state=world.pending("s3"), code="c"))
    [replaced] = world.links.rows.values()
    assert replaced.refresh_token == "second"


async def test_with_the_token_store_down_the_login_succeeds_and_says_the_token_was_not_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = World()
    world.google.refresh_token = "secret-refresh-token"
    world.links.fail_commit = True
    with caplog.at_level(logging.WARNING):
        result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))
    assert result.error is None
    assert result.tokens is not None
    assert result.redirect_url == "https://eco2.test/login/success"
    assert result.provider_token_stored is False
    assert world.links.rows == {}
    assert [a.result for a in world.audit.committed] == ["success"]
    [warning] = [r for r in caplog.records if r.getMessage().startswith("provider token not")]
    assert warning.__dict__["provider"] == "google"
    assert "secret-refresh-token" not in caplog.text


async def test_a_failed_login_keeps_no_link() -> None:
    world = World()
    world.google.refresh_token = "rt"
    world.users.unavailable = True
    result = await world.interactor.execute(world.callback(state=world.pending(), code="c"))
    assert result.error == "users_unavailable"
    assert result.provider_token_stored is None
    assert world.links.rows == {}
