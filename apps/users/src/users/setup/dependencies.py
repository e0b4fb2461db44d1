"""FastAPI dependency providers: the request's session, use cases, the caller.

Everything process-wide (resources, verifier, clock, ids, settings) is read from
``app.state``, set by the app factory and its lifespan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import Clock
from kernel.ids import IdGenerator
from servicekit.resources import Resources
from users.application.character.queries.check_ownership import CheckCharacterOwnershipQuery
from users.application.character.queries.get_characters import GetCharactersQuery
from users.application.common.dto.access_token_claims import AccessTokenClaims
from users.application.common.exceptions.access_token import TokenMissingError
from users.application.common.ports.access_token_verifier import AccessTokenVerifier
from users.application.identity.commands.get_or_create_identity import (
    GetOrCreateIdentityInteractor,
)
from users.application.identity.commands.record_login import RecordLoginInteractor
from users.application.identity.dto.default_character import DefaultCharacter
from users.application.identity.queries.get_user import GetUserQuery
from users.application.identity.services.user_summary_builder import UserSummaryBuilder
from users.application.profile.commands.delete_user import DeleteUserInteractor
from users.application.profile.commands.update_profile import UpdateProfileInteractor
from users.application.profile.queries.get_profile import GetProfileQuery
from users.application.profile.services.profile_builder import ProfileBuilder
from users.domain.services.user_name_resolver import UserNameResolver
from users.infrastructure.outbox.sqla_user_event_outbox import (
    SqlaUserEventOutbox,
)
from users.infrastructure.persistence_postgres.gateways.sqla_social_account_gateway import (
    SqlaSocialAccountCommandGateway,
    SqlaSocialAccountQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_character_gateway import (
    SqlaUserCharacterCommandGateway,
    SqlaUserCharacterQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_gateway import (
    SqlaUserCommandGateway,
    SqlaUserQueryGateway,
)
from users.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from users.presentation.http.service_token import SERVICE_TOKEN_HEADER, check_service_token
from users.setup.settings import UsersSettings

ACCESS_COOKIE = "s_access"

bearer_scheme = HTTPBearer(
    auto_error=False, bearerFormat="JWT", description="auth's access token (at+jwt)."
)
cookie_scheme = APIKeyCookie(
    name=ACCESS_COOKIE, auto_error=False, description="auth's access token cookie (web)."
)
service_token_scheme = APIKeyHeader(
    name=SERVICE_TOKEN_HEADER,
    auto_error=False,
    scheme_name="ServiceToken",
    description="Service credential of the internal API (USERS_INTERNAL_API_TOKEN).",
)

_names = UserNameResolver()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; whatever a use case did not commit rolls back."""
    resources: Resources = request.app.state.resources
    async with resources.session_factory() as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def _ids(request: Request) -> IdGenerator:
    ids: IdGenerator = request.app.state.ids
    return ids


def _settings(request: Request) -> UsersSettings:
    settings: UsersSettings = request.app.state.settings
    return settings


async def current_caller(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
) -> AccessTokenClaims:
    """The verified claims of the caller's access token (Bearer header, else cookie).

    :raises TokenMissingError: neither is present.
    """
    token = bearer.credentials if bearer is not None else cookie
    if not token:
        raise TokenMissingError()
    verifier: AccessTokenVerifier = request.app.state.access_token_verifier
    return await verifier.verify(token)


Caller = Annotated[AccessTokenClaims, Depends(current_caller)]


async def require_service_token(
    request: Request, token: Annotated[str | None, Depends(service_token_scheme)]
) -> None:
    """Guard of every /internal route."""
    check_service_token(token, _settings(request).internal_api_token)


async def get_profile_query(session: Session) -> GetProfileQuery:
    return GetProfileQuery(
        SqlaUserQueryGateway(session),
        SqlaSocialAccountQueryGateway(session),
        ProfileBuilder(_names),
    )


async def update_profile_interactor(request: Request, session: Session) -> UpdateProfileInteractor:
    return UpdateProfileInteractor(
        SqlaUserCommandGateway(session),
        SqlaSocialAccountQueryGateway(session),
        SqlaTransactionManager(session),
        ProfileBuilder(_names),
        _clock(request),
    )


async def delete_user_interactor(request: Request, session: Session) -> DeleteUserInteractor:
    return DeleteUserInteractor(
        SqlaUserCommandGateway(session),
        SqlaUserEventOutbox(session),
        SqlaTransactionManager(session),
        _clock(request),
        _ids(request),
    )


async def get_characters_query(session: Session) -> GetCharactersQuery:
    return GetCharactersQuery(SqlaUserQueryGateway(session), SqlaUserCharacterQueryGateway(session))


async def check_ownership_query(session: Session) -> CheckCharacterOwnershipQuery:
    return CheckCharacterOwnershipQuery(
        SqlaUserQueryGateway(session), SqlaUserCharacterQueryGateway(session)
    )


def default_character(settings: UsersSettings) -> DefaultCharacter:
    configured = settings.default_character
    return DefaultCharacter(
        character_id=configured.id,
        code=configured.code,
        name=configured.name,
        type=configured.type,
        dialog=configured.dialog,
        source=configured.source,
    )


async def get_or_create_identity_interactor(
    request: Request, session: Session
) -> GetOrCreateIdentityInteractor:
    return GetOrCreateIdentityInteractor(
        SqlaUserCommandGateway(session),
        SqlaSocialAccountCommandGateway(session),
        SqlaSocialAccountQueryGateway(session),
        SqlaUserCharacterCommandGateway(session),
        SqlaTransactionManager(session),
        UserSummaryBuilder(_names),
        default_character(_settings(request)),
        _clock(request),
        _ids(request),
    )


async def get_user_query(session: Session) -> GetUserQuery:
    return GetUserQuery(
        SqlaUserQueryGateway(session),
        SqlaSocialAccountQueryGateway(session),
        UserSummaryBuilder(_names),
    )


async def record_login_interactor(request: Request, session: Session) -> RecordLoginInteractor:
    return RecordLoginInteractor(
        SqlaUserCommandGateway(session),
        SqlaSocialAccountCommandGateway(session),
        SqlaTransactionManager(session),
        _clock(request),
    )
