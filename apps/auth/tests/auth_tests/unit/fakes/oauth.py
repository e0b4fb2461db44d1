"""In-memory fakes of the OAuth, users, token and audit ports for use-case tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from uuid import UUID

from auth.application.oauth.dto.oauth_state import OAuthState
from auth.application.oauth.dto.provider_listing import ProviderListing
from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.dto.response_mode import ResponseMode
from auth.application.oauth.exceptions.oauth import (
    ProviderNotConfiguredError,
    ProviderNotFoundError,
)
from auth.application.token.dto.device import UNKNOWN_DEVICE, DeviceDescription
from auth.application.token.dto.token import RestoreTicket, TokenPair
from auth.application.token.ports.user_agent_parser import UserAgentParser
from auth.application.users.dto.identity import EndedLink, ExternalIdentity, UserAccount
from auth.application.users.exceptions.gateway import (
    UserServiceRejectedError,
    UserServiceUnavailableError,
)
from auth.application.users.exceptions.link import (
    AccountAlreadyLinkedError,
    ProviderAlreadyLinkedError,
)
from auth.domain.audit.login_audit import LoginAudit
from kernel.errors import AppError


class InMemoryStateStore:
    def __init__(self, refuse_first: int = 0) -> None:
        self.states: dict[str, OAuthState] = {}
        self.ttls: dict[str, int] = {}
        self._refuse = refuse_first

    async def save(self, state: OAuthState, ttl_seconds: int) -> bool:
        if self._refuse > 0:
            self._refuse -= 1
            return False
        if state.state in self.states:
            return False
        self.states[state.state] = state
        self.ttls[state.state] = ttl_seconds
        return True

    async def consume(self, state: str) -> OAuthState | None:
        return self.states.pop(state, None)


@dataclass
class FakeProviderGateway:
    name: str
    supports_pkce: bool = True
    uses_nonce: bool = True
    response_mode: ResponseMode = "query"
    subject: str = "subject-1"
    nickname: str | None = "eco"
    refresh_token: str | None = None
    error: Exception | None = None
    url_error: Exception | None = None
    exchanges: list[dict[str, str | None]] = field(default_factory=list)

    async def authorization_url(
        self, *, state: str, redirect_uri: str, code_challenge: str | None, nonce: str | None
    ) -> str:
        if self.url_error is not None:
            raise self.url_error
        query = {"state": state, "redirect_uri": redirect_uri}
        if code_challenge:
            query |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
        if nonce:
            query["nonce"] = nonce
        return f"https://{self.name}.example/authorize?{urlencode(query)}"

    async def fetch_profile(
        self,
        *,
        code: str,
        state: str,
        redirect_uri: str,
        code_verifier: str | None,
        nonce: str | None,
        user_details: str | None = None,
    ) -> ProviderProfile:
        self.exchanges.append(
            {
                "code": code,
                "redirect_uri": redirect_uri,
                "verifier": code_verifier,
                "nonce": nonce,
                "user_details": user_details,
            }
        )
        if self.error is not None:
            raise self.error
        return ProviderProfile(
            provider=self.name,
            provider_user_id=self.subject,
            email="user@example.com",
            email_verified=True,
            nickname=self.nickname,
            profile_image_url=None,
            refresh_token=self.refresh_token,
        )


class FakeProviderRegistry:
    def __init__(self, *gateways: FakeProviderGateway, unconfigured: tuple[str, ...] = ()) -> None:
        self.gateways = {gateway.name: gateway for gateway in gateways}
        self.unconfigured = set(unconfigured)

    def get(self, name: str) -> FakeProviderGateway:
        if name in self.unconfigured:
            raise ProviderNotConfiguredError
        if name not in self.gateways:
            raise ProviderNotFoundError
        return self.gateways[name]

    def listed(self) -> tuple[ProviderListing, ...]:
        return tuple(ProviderListing(name, name.title()) for name in self.gateways)


class FakeUsers:
    """UserCommandGateway and UserQueryGateway over identities -> user ids, with the users
    service's rules: links by identity only, one per provider per user, a user left with
    no identity deleted. Each call can be made to fail like an unreachable service."""

    def __init__(self) -> None:
        self.accounts: dict[tuple[str, str], UUID] = {}
        self.identities: list[ExternalIdentity] = []
        self.logins: list[tuple[UUID, str]] = []
        self.deleted: list[UUID] = []
        self.unavailable = False
        self.rejecting = False
        self.fail_record_login = False
        self.refusal: AppError | None = None  # the account's status refuses the sign-in
        self.fail_end_link = False

    async def link_identity(self, user_id: UUID, identity: ExternalIdentity) -> None:
        self.identities.append(identity)
        if self.unavailable:
            raise UserServiceUnavailableError
        key = (identity.provider, identity.provider_user_id)
        owner = self.accounts.get(key)
        if owner is not None and owner != user_id:
            raise AccountAlreadyLinkedError
        if owner is None and any(
            provider == identity.provider and user == user_id
            for (provider, _), user in self.accounts.items()
        ):
            raise ProviderAlreadyLinkedError
        self.accounts[key] = user_id

    async def find_user_by_identity(self, provider: str, provider_user_id: str) -> UUID | None:
        if self.unavailable:
            raise UserServiceUnavailableError
        return self.accounts.get((provider, provider_user_id))

    async def end_identity_link(self, provider: str, provider_user_id: str) -> EndedLink | None:
        if self.unavailable or self.fail_end_link:
            raise UserServiceUnavailableError
        user_id = self.accounts.pop((provider, provider_user_id), None)
        if user_id is None:
            return None
        deleted = user_id not in self.accounts.values()
        if deleted:
            self.deleted.append(user_id)
        return EndedLink(user_id=user_id, user_deleted=deleted)

    async def get_or_create(self, identity: ExternalIdentity) -> UserAccount:
        self.identities.append(identity)
        if self.unavailable:
            raise UserServiceUnavailableError
        if self.rejecting:
            raise UserServiceRejectedError("users service answered 422 REQUEST_INVALID")
        if self.refusal is not None:
            raise self.refusal
        key = (identity.provider, identity.provider_user_id)
        return UserAccount(user_id=self.accounts.setdefault(key, uuid.uuid4()))

    async def record_login(self, user_id: UUID, provider: str) -> None:
        if self.fail_record_login:
            raise UserServiceUnavailableError
        self.logins.append((user_id, provider))


class FakeTokenService:
    """Duck of TokenService's login-facing methods: sessions by id."""

    def __init__(self) -> None:
        self.sessions: dict[str, dict[str, object]] = {}
        self.ended: list[str] = []
        self.restore_tickets: list[UUID] = []

    def issue_restore_ticket(self, user_id: UUID) -> RestoreTicket:
        self.restore_tickets.append(user_id)
        return RestoreTicket(
            token=f"restore-{user_id}", expires_at=datetime.now(UTC) + timedelta(minutes=10)
        )

    async def issue_and_register(
        self,
        *,
        user_id: UUID,
        provider: str,
        device_id: str | None,
        user_agent: str | None,
        ip_address: str | None = None,
        described: DeviceDescription = UNKNOWN_DEVICE,
    ) -> TokenPair:
        session_id = uuid.uuid4().hex
        now = datetime.now(UTC)
        self.sessions[session_id] = {
            "user_id": user_id,
            "provider": provider,
            "device_id": device_id,
            "user_agent": user_agent,
            "ip_address": ip_address,
            "described": described,
        }
        return TokenPair(
            access_token=f"access-{session_id}",
            refresh_token=f"refresh-{session_id}",
            access_jti=f"jti-{session_id}",
            session_id=session_id,
            access_expires_at=now + timedelta(minutes=15),
            refresh_expires_at=now + timedelta(days=14),
        )

    async def end_session(self, session_id: str) -> None:
        self.ended.append(session_id)
        self.sessions.pop(session_id, None)


class FakeUserAgentParser(UserAgentParser):
    """Describes the user agents it was given, every other one as unknown."""

    def __init__(self, known: dict[str, DeviceDescription] | None = None) -> None:
        self.known = known or {}

    def describe(self, user_agent: str | None) -> DeviceDescription:
        return self.known.get(user_agent or "", UNKNOWN_DEVICE)


class InMemoryAuditLog:
    """LoginAuditGateway and TransactionManager together: rows appear on commit."""

    def __init__(self) -> None:
        self.staged: list[LoginAudit] = []
        self.committed: list[LoginAudit] = []
        self.fail_commit = False

    async def add(self, audit: LoginAudit) -> None:
        self.staged.append(audit)

    async def commit(self) -> None:
        if self.fail_commit:
            self.staged.clear()
            raise ConnectionError("database down")
        self.committed.extend(self.staged)
        self.staged.clear()
