"""UserCommandGateway and UserQueryGateway over the users internal API."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx

from auth.application.users.dto.identity import EndedLink, ExternalIdentity, UserAccount
from auth.application.users.exceptions.account import (
    AccountDisabledError,
    AccountPendingDeletionError,
)
from auth.application.users.exceptions.gateway import (
    UserServiceRejectedError,
    UserServiceUnavailableError,
)
from auth.application.users.exceptions.link import (
    AccountAlreadyLinkedError,
    ProviderAlreadyLinkedError,
)
from auth.application.users.ports.user_command_gateway import UserCommandGateway
from auth.application.users.ports.user_query_gateway import UserQueryGateway
from auth.infrastructure.users_client.users_api_client import UsersApiClient

logger = logging.getLogger(__name__)

IDENTITIES = "/internal/v1/identities"
LINK_REFUSALS = {
    AccountAlreadyLinkedError.code: AccountAlreadyLinkedError,
    ProviderAlreadyLinkedError.code: ProviderAlreadyLinkedError,
}


class HttpxUserCommandGateway(UserCommandGateway):
    """`POST /internal/v1/identities` (idempotent get-or-create, so retried),
    `POST /internal/v1/users/{id}/logins` (sent once), `POST
    /internal/v1/users/{id}/social-accounts` (link; idempotent) and `DELETE
    /internal/v1/identities?provider=…&provider_user_id=…` (end a link; idempotent: a
    repeat finds nothing, 404). A 403 ACCOUNT_PENDING_DELETION (with the account's id and
    purge date) or ACCOUNT_DISABLED is the matching error; any other answer than the
    expected one is UserServiceRejectedError, with the status and code in its detail."""

    def __init__(self, client: UsersApiClient) -> None:
        self._client = client

    async def get_or_create(self, identity: ExternalIdentity) -> UserAccount:
        response = await self._client.request(
            "POST",
            IDENTITIES,
            idempotent=True,
            json=_identity_body(identity),
        )
        _expect(response, 200, 201)
        return UserAccount(user_id=_user_id(_body(response)))

    async def record_login(self, user_id: UUID, provider: str) -> None:
        response = await self._client.request(
            "POST",
            f"/internal/v1/users/{user_id}/logins",
            idempotent=False,
            json={"provider": provider},
        )
        _expect(response, 200, 204)

    async def link_identity(self, user_id: UUID, identity: ExternalIdentity) -> None:
        response = await self._client.request(
            "POST",
            f"/internal/v1/users/{user_id}/social-accounts",
            idempotent=True,
            json=_identity_body(identity),
        )
        if response.status_code == 409 and (refusal := LINK_REFUSALS.get(_code(response) or "")):
            raise refusal
        _expect(response, 200, 201)

    async def end_identity_link(self, provider: str, provider_user_id: str) -> EndedLink | None:
        response = await self._client.request(
            "DELETE",
            IDENTITIES,
            idempotent=True,
            params={"provider": provider, "provider_user_id": provider_user_id},
        )
        if response.status_code == 404 and _code(response) == "IDENTITY_NOT_FOUND":
            return None
        _expect(response, 200)
        body = _body(response)
        deleted = body.get("user_deleted")
        if not isinstance(deleted, bool):
            raise UserServiceUnavailableError("users service answered an unreadable body")
        return EndedLink(user_id=_user_id(body), user_deleted=deleted)


class HttpxUserQueryGateway(UserQueryGateway):
    """`GET /internal/v1/identities?provider=…&provider_user_id=…` (retried)."""

    def __init__(self, client: UsersApiClient) -> None:
        self._client = client

    async def find_user_by_identity(self, provider: str, provider_user_id: str) -> UUID | None:
        response = await self._client.request(
            "GET",
            IDENTITIES,
            idempotent=True,
            params={"provider": provider, "provider_user_id": provider_user_id},
        )
        if response.status_code == 404 and _code(response) == "IDENTITY_NOT_FOUND":
            return None
        _expect(response, 200)
        return _user_id(_body(response))


def _identity_body(identity: ExternalIdentity) -> dict[str, Any]:
    return {
        "provider": identity.provider,
        "provider_user_id": identity.provider_user_id,
        "email": identity.email,
        "email_verified": identity.email_verified,
        "nickname": identity.nickname,
        "profile_image_url": identity.profile_image_url,
    }


def _expect(response: httpx.Response, *statuses: int) -> None:
    if response.status_code not in statuses:
        if response.status_code == 403:
            _raise_account_refusal(response)
        code = _code(response)
        logger.warning(
            "users service rejected a call",
            extra={"status": response.status_code, "code": code, "path": response.request.url.path},
        )
        raise UserServiceRejectedError(
            f"users service answered {response.status_code} {code or ''}".rstrip()
        )


def _raise_account_refusal(response: httpx.Response) -> None:
    """Raise the account error a 403 names; return when it names none (or is unreadable)."""
    code = _code(response)
    if code == AccountDisabledError.code:
        raise AccountDisabledError(_refused_user_id(response))
    if code == AccountPendingDeletionError.code:
        try:
            body: dict[str, Any] = response.json()
            user_id = UUID(str(body["user_id"]))
            purge_after = datetime.fromisoformat(str(body["purge_after"]))
        except (ValueError, KeyError, TypeError) as error:
            raise UserServiceRejectedError(
                "users service answered ACCOUNT_PENDING_DELETION without its account"
            ) from error
        raise AccountPendingDeletionError(user_id, purge_after)


def _refused_user_id(response: httpx.Response) -> UUID | None:
    """The account a refusal names, if it names one."""
    try:
        return UUID(str(response.json()["user_id"]))
    except (ValueError, KeyError, TypeError):
        return None


def _code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as error:
        raise UserServiceUnavailableError("users service answered an unreadable body") from error
    if not isinstance(body, dict):
        raise UserServiceUnavailableError("users service answered an unreadable body")
    return body


def _user_id(body: dict[str, Any]) -> UUID:
    try:
        return UUID(str(body["user_id"]))
    except (ValueError, KeyError) as error:
        raise UserServiceUnavailableError("users service answered an unreadable body") from error
