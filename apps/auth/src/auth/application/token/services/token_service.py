"""Facade of the token system: issuer + session store + blacklist + revocation events.

These ports form one concept, a token family: a pair is worthless without its
registered session, and ending a session means nothing unless every validator
learns that its access tokens are revoked.

A revocation is recorded and announced in one atomic step (the publisher), after
the session(s) it concerns have ended (no refresh can mint new tokens). If Redis
fails in between, the call raises and can be repeated (both steps are idempotent):
what is left is at worst access tokens valid until they expire, never a live session.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from auth.application.token.dto.device import UNKNOWN_DEVICE, DeviceDescription
from auth.application.token.dto.token import RestoreTicket, TokenPair
from auth.application.token.exceptions.token import TokenError, TokenRevokedError
from auth.application.token.ports.blacklist_event_publisher import (
    BlacklistEventPublisher,
    RevocationEvent,
    RevocationKind,
)
from auth.application.token.ports.blacklist_store import BlacklistStore
from auth.application.token.ports.issuer import TokenIssuer
from auth.application.token.ports.session_store import Rotation, RotationStatus, SessionStore
from auth.domain.token.claims import TokenClaims
from auth.domain.token.session import Session
from auth.domain.token.token_type import TokenType
from kernel.clock import Clock
from kernel.ids import random_token


class TokenService:
    """Issues, rotates, verifies and revokes tokens; keeps sessions and the denylist in step."""

    def __init__(
        self,
        *,
        issuer: TokenIssuer,
        session_store: SessionStore,
        blacklist_store: BlacklistStore,
        event_publisher: BlacklistEventPublisher,
        clock: Clock,
        access_ttl: timedelta,
        grace_seconds: float,
    ) -> None:
        self._issuer = issuer
        self._sessions = session_store
        self._blacklist = blacklist_store
        self._events = event_publisher
        self._clock = clock
        self._access_ttl = access_ttl
        self._grace_seconds = grace_seconds

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
        """Open a new session and return its first pair; the session exists once this returns.

        ``ip_address`` and ``described`` (the client's address and what its user agent
        says) are recorded with it, for the user's list of sessions.
        Its tokens carry `auth_time` = now, the sign-in, and so will every pair it rotates to.
        """
        now = self._clock.now()
        session_id = random_token(16)
        pair = self._issuer.issue_pair(
            user_id=user_id,
            provider=provider,
            session_id=session_id,
            now=now,
            auth_time=int(now.timestamp()),
        )
        session = Session(
            session_id,
            user_id=user_id,
            provider=provider,
            device_id=device_id,
            user_agent=user_agent,
            created_at=now,
            last_used_at=now,
            expires_at=pair.refresh_expires_at,
            ip_address=ip_address,
            device=described.device,
            os=described.os,
            browser=described.browser,
        )
        await self._sessions.register(session, pair)
        return pair

    def issue_restore_ticket(self, user_id: UUID) -> RestoreTicket:
        """A restore ticket for a sign-in of an account pending deletion: no session."""
        return self._issuer.issue_restore_ticket(user_id=user_id, now=self._clock.now())

    async def verify_access(self, token: str) -> TokenClaims:
        """A fully valid access token: signed, current, and not revoked.

        :raises TokenError: one of its subclasses, saying what is wrong.
        :raises RevocationStateUnavailableError: revocation cannot be checked.
        """
        claims = await self._issuer.verify_concurrently(token, TokenType.ACCESS)
        if await self._blacklist.is_revoked(claims):
            raise TokenRevokedError
        return claims

    async def rotate(self, claims: TokenClaims) -> Rotation:
        """Rotate the refresh token `claims` describes (see `SessionStore.rotate`).

        A reuse ends the session here, so its access tokens are revoked everywhere.
        """
        now = self._clock.now()
        child = self._issuer.issue_pair(
            user_id=claims.user_id,
            provider=claims.provider,
            session_id=claims.session_id,
            now=now,
            auth_time=claims.auth_time,
        )
        rotation = await self._sessions.rotate(
            session_id=claims.session_id,
            user_id=claims.user_id,
            presented_jti=claims.jti,
            child=child,
            now=now,
            grace_seconds=self._grace_seconds,
        )
        if rotation.status is RotationStatus.REUSED:
            await self._revoke_session_tokens(claims.session_id)
        return rotation

    async def get_session(self, user_id: UUID, session_id: str) -> Session | None:
        """The live session `session_id` of `user_id`, or None (ended, expired, or not
        this user's)."""
        return await self._sessions.get(user_id, session_id)

    async def session_of(self, access_token: str | None) -> Session | None:
        """The live session an access token of ours belongs to, expired or not (it only
        names the session, like logout's); None for no token, a token that is not ours,
        or a session that has ended."""
        if not access_token:
            return None
        try:
            claims = self._issuer.verify(access_token, TokenType.ACCESS, verify_expiry=False)
        except TokenError:
            return None
        session = await self._sessions.get(claims.user_id, claims.session_id)
        if session is None or not session.belongs_to(claims.user_id):
            return None
        return session

    async def end_provider_sessions(self, user_id: UUID, provider: str) -> list[str]:
        """End every session of `user_id` signed in through `provider` and revoke their
        access tokens; the ids of those ended. Each end is atomic on its own and
        idempotent, so a call that fails midway can be repeated."""
        ended = []
        for session in await self._sessions.list_for_user(user_id):
            if session.provider == provider:
                await self.end_session(user_id, session.id)
                ended.append(session.id)
        return ended

    async def end_session(self, user_id: UUID, session_id: str) -> Session | None:
        """End the session `session_id` of `user_id` and revoke its access tokens; None
        when it was already gone (its tokens are revoked all the same)."""
        session = await self._sessions.end(user_id, session_id)
        await self._revoke_session_tokens(session_id)
        return session

    async def deny_access_token(self, claims: TokenClaims) -> None:
        """Reject this access token until it expires (nothing to do once it has)."""
        until = datetime.fromtimestamp(claims.expires_at, tz=UTC)
        if until <= self._clock.now():
            return
        await self._events.publish(RevocationEvent(RevocationKind.JTI, claims.jti, until))

    async def revoke_user(self, user_id: UUID) -> tuple[list[str], datetime]:
        """End every session of `user_id` and reject every access token issued before now."""
        now = self._clock.now()
        ended = await self._sessions.end_all(user_id)
        until = now + self._access_ttl
        await self._events.publish(
            RevocationEvent(RevocationKind.USER, str(user_id), until, before=now)
        )
        return ended, now

    async def _revoke_session_tokens(self, session_id: str) -> None:
        until = self._clock.now() + self._access_ttl
        await self._events.publish(RevocationEvent(RevocationKind.SESSION, session_id, until))
