"""The LoginAudit entity: one row per login attempt (or detected refresh reuse)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from kernel.entity import Entity
from kernel.errors import ValidationError


class LoginResult(StrEnum):
    """What happened: a login succeeded, failed, or a rotated refresh token came back; a
    signed-in user linked a provider (``link``) or failed to (``link_failure``); a
    provider's unlink notice arrived (``unlink_notice``, its outcome as the reason)."""

    SUCCESS = "success"
    FAILURE = "failure"
    REFRESH_REUSE = "refresh_reuse"
    LINK = "link"
    LINK_FAILURE = "link_failure"
    UNLINK_NOTICE = "unlink_notice"


_NEEDS_USER_NO_REASON = frozenset({LoginResult.SUCCESS, LoginResult.LINK})


class LoginAudit(Entity[UUID]):
    """Who logged in (or tried to), through which provider, from where, and how it ended;
    also the account events around logins (links, providers' unlink notices).

    Plain and append-only: nothing changes after creation. ``user_id`` and
    ``session_id`` are opaque references; the user lives in another service.
    """

    PROVIDER_MAX_LEN: ClassVar[int] = 64
    REFERENCE_MAX_LEN: ClassVar[int] = 128
    REASON_MAX_LEN: ClassVar[int] = 64
    CLIENT_IP_MAX_LEN: ClassVar[int] = 45
    USER_AGENT_MAX_LEN: ClassVar[int] = 512

    def __init__(
        self,
        *,
        id_: UUID,
        user_id: UUID | None,
        provider: str | None,
        session_id: str | None,
        access_jti: str | None,
        result: str,
        reason: str | None,
        client_ip: str | None,
        user_agent: str | None,
        occurred_at: datetime,
    ) -> None:
        try:
            outcome = LoginResult(result)
        except ValueError:
            raise ValidationError(f"unknown login result {result!r}") from None
        if occurred_at.tzinfo is None:
            raise ValidationError("occurred_at must be timezone-aware")
        if outcome in _NEEDS_USER_NO_REASON and (user_id is None or reason is not None):
            raise ValidationError("a successful login or link names its user and has no reason")
        if outcome not in _NEEDS_USER_NO_REASON and not reason:
            raise ValidationError("a failure, a refresh reuse or a notice needs a reason code")
        _check_length("provider", provider, self.PROVIDER_MAX_LEN)
        _check_length("session_id", session_id, self.REFERENCE_MAX_LEN)
        _check_length("access_jti", access_jti, self.REFERENCE_MAX_LEN)
        _check_length("reason", reason, self.REASON_MAX_LEN)
        _check_length("client_ip", client_ip, self.CLIENT_IP_MAX_LEN)
        _check_length("user_agent", user_agent, self.USER_AGENT_MAX_LEN)
        super().__init__(id_)
        self.user_id = user_id
        self.provider = provider
        self.session_id = session_id
        self.access_jti = access_jti
        self.result = outcome.value
        self.reason = reason
        self.client_ip = client_ip
        self.user_agent = user_agent
        self.occurred_at = occurred_at


def _check_length(name: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise ValidationError(f"{name} is longer than {limit} characters")
