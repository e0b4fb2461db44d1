"""A link between an account and one provider identity, with the provider's refresh token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar
from uuid import UUID

from auth.application.users.dto.identity import ExternalIdentity
from auth.domain.audit.login_audit import LoginAudit


@dataclass(frozen=True, slots=True)
class ProviderLink:
    """``(provider, provider_user_id)`` linked to ``user_id``; ``refresh_token`` is the
    provider's refresh token of the latest login that issued one (None: none kept).

    ``token_unreadable`` is set on a stored link whose token could not be decrypted
    (its key is no longer configured, or the row was altered): the token exists but
    cannot be used.
    """

    PROVIDER_MAX_LEN: ClassVar[int] = LoginAudit.PROVIDER_MAX_LEN
    PROVIDER_USER_ID_MAX_LEN: ClassVar[int] = ExternalIdentity.PROVIDER_USER_ID_MAX_LEN
    # Refresh tokens of the supported providers are far shorter; a longer one is not kept.
    REFRESH_TOKEN_MAX_LEN: ClassVar[int] = 4096

    user_id: UUID
    provider: str
    provider_user_id: str
    refresh_token: str | None = field(default=None, repr=False)
    token_unreadable: bool = False
