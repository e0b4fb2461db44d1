"""Public: the caller's linked provider accounts, under /api/v1/users/me/social-accounts.

Linking one is started at auth (`GET /api/v1/auth/{provider}/authorize?intent=link`), which
finishes it through the internal API; here the owner lists and unlinks them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from users.application.identity.commands.unlink_social_account import (
    UnlinkSocialAccountInteractor,
)
from users.application.identity.dto.identity import UnlinkSocialAccountRequest
from users.application.identity.queries.list_social_accounts import ListSocialAccountsQuery
from users.presentation.http.credentials import Caller
from users.presentation.http.schemas.errors import (
    TOKEN_ERRORS,
    USER_NOT_FOUND,
    error_responses,
)
from users.presentation.http.schemas.social_account import (
    SocialAccountOut,
    SocialAccountsResponse,
)
from users.setup.dependencies import (
    list_social_accounts_query,
    unlink_social_account_interactor,
)

router = APIRouter(prefix="/api/v1/users/me/social-accounts", tags=["social accounts"])


@router.get(
    "",
    summary="My linked provider accounts",
    response_model=SocialAccountsResponse,
    description=ListSocialAccountsQuery.__doc__,
    responses=error_responses(*TOKEN_ERRORS, USER_NOT_FOUND),
)
async def list_social_accounts(
    caller: Caller,
    query: Annotated[ListSocialAccountsQuery, Depends(list_social_accounts_query)],
) -> SocialAccountsResponse:
    views = await query.execute(caller.user_id)
    return SocialAccountsResponse(social_accounts=[SocialAccountOut.of(v) for v in views])


@router.delete(
    "/{provider}",
    summary="Unlink my account of a provider",
    description=UnlinkSocialAccountInteractor.__doc__,
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(
        *TOKEN_ERRORS,
        (401, "REAUTHENTICATION_REQUIRED", "The session signed in too long ago: sign in again."),
        USER_NOT_FOUND,
        (404, "SOCIAL_ACCOUNT_NOT_FOUND", "No account of this provider is linked."),
        (409, "LAST_LOGIN_METHOD", "It is the account's only login method."),
        (422, "PROVIDER_INVALID", "The provider name is not valid."),
    ),
)
async def unlink_social_account(
    caller: Caller,
    interactor: Annotated[UnlinkSocialAccountInteractor, Depends(unlink_social_account_interactor)],
    provider: Annotated[str, Path(max_length=64)],
) -> Response:
    await interactor.execute(
        UnlinkSocialAccountRequest(
            user_id=caller.user_id, provider=provider, signed_in_at=caller.signed_in_at
        )
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
