"""FastAPI dependency providers: the request's session and use cases; and for the
read routes, which skip FastAPI's dependency resolution on their hot path, plain
functions giving a read connection and the queries over it.

The one module of `setup` the HTTP layer imports: routers and `presentation/http/`
ask for what only the composition knows (use cases, the access token verifier, the
service credential, the administrators' credentials) through these providers, never
through ``app.state`` or an adapter. Everything process-wide (resources, verifiers,
clock, ids, settings, rate limits, trusted proxies) is read from ``app.state``, set by
the app factory and its lifespan.

Rate limits (`USERS_RATE_LIMITS__<ROUTE>__PER_<SCOPE>`): a route is limited per client
address with ``dependencies=[Depends(ip_limited("<route>"))]``; per account, calling
service or administrator with `account_limited` / `service_limited` / `admin_limited`
of `presentation.http.rate_limits` (after the credential they count by); anything else
gets ``rate_limit(request, "<route>", "<scope>")``, a `RateLimit`. Over the limit each
raises `RateLimitedError`: a 429 with `Retry-After` and `RateLimit-*` headers. A new
route needs its settings entry (`users.setup.rate_limit_settings`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager as AsyncContextManager
from datetime import timedelta
from typing import Annotated

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from fastapi import Depends, Request
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import Clock
from kernel.ids import IdGenerator
from kernel.rate_limit import RateLimit
from servicekit.client_ip import IpNetwork, client_ip
from servicekit.resources import Resources
from servicekit.route_limits import RouteLimits
from users.application.admin.commands.disable_account import DisableAccountInteractor
from users.application.admin.commands.enable_account import EnableAccountInteractor
from users.application.character.queries.check_ownership import CheckCharacterOwnershipQuery
from users.application.character.queries.get_characters import GetCharactersQuery
from users.application.common.ports.access_token_verifier import AccessTokenVerifier
from users.application.common.services.user_profile_builder import UserProfileBuilder
from users.application.identity.commands.end_identity_link import EndIdentityLinkInteractor
from users.application.identity.commands.get_or_create_identity import (
    GetOrCreateIdentityInteractor,
)
from users.application.identity.commands.link_identity import LinkIdentityInteractor
from users.application.identity.commands.record_login import RecordLoginInteractor
from users.application.identity.commands.unlink_social_account import (
    UnlinkSocialAccountInteractor,
)
from users.application.identity.dto.default_character import DefaultCharacter
from users.application.identity.queries.find_identity import FindIdentityQuery
from users.application.identity.queries.list_social_accounts import ListSocialAccountsQuery
from users.application.lifecycle.commands.request_deletion import (
    RequestAccountDeletionInteractor,
)
from users.application.lifecycle.commands.restore_account import RestoreAccountInteractor
from users.application.lifecycle.dto.deletion_policy import DeletionPolicy
from users.application.lifecycle.ports.restore_ticket_verifier import RestoreTicketVerifier
from users.application.lifecycle.services.account_eraser import AccountEraser
from users.application.profile.commands.update_profile import UpdateProfileInteractor
from users.application.profile.queries.get_profile import GetProfileQuery
from users.domain.services.user_name_resolver import UserNameResolver
from users.infrastructure.outbox.sqla_user_event_outbox import (
    SqlaUserEventOutbox,
)
from users.infrastructure.persistence_postgres.gateways.asyncpg_account_character_query_gateway import (  # noqa: E501
    AsyncpgAccountCharacterQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.asyncpg_profile_query_gateway import (
    AsyncpgProfileQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_admin_action_log import (
    SqlaAdminActionLog,
)
from users.infrastructure.persistence_postgres.gateways.sqla_social_account_gateway import (
    SqlaSocialAccountCommandGateway,
    SqlaSocialAccountQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_character_gateway import (
    SqlaUserCharacterCommandGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_gateway import (
    SqlaUserCommandGateway,
)
from users.infrastructure.persistence_postgres.read_pool import (
    read_connection as pooled_read_connection,
)
from users.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from users.setup.settings import UsersSettings

_names = UserNameResolver()
_profile_builder = UserProfileBuilder(_names)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; whatever a use case did not commit rolls back."""
    resources: Resources = request.app.state.resources
    async with resources.session_factory() as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]


def read_connection(request: Request) -> AsyncContextManager[PoolConnectionProxy]:
    """A connection of the read pool for one read request, in autocommit: a read
    holds no transaction and sees every committed write (a PATCH has committed before
    its response, so the next GET shows it). A failed read closes it (`read_pool`)."""
    pool: asyncpg.Pool = request.app.state.read_pool
    return pooled_read_connection(pool)


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def _ids(request: Request) -> IdGenerator:
    ids: IdGenerator = request.app.state.ids
    return ids


def _settings(request: Request) -> UsersSettings:
    settings: UsersSettings = request.app.state.settings
    return settings


def client_address(request: Request) -> str | None:
    """The client's address (`servicekit.client_ip`): `X-Forwarded-For` is believed only
    through `USERS_TRUSTED_PROXIES`, else the TCP peer."""
    trusted: tuple[IpNetwork, ...] = request.app.state.trusted_proxies
    return client_ip(request, trusted)


def rate_limit(request: Request, route: str, scope: str) -> RateLimit:
    """The limit of ``route`` per ``scope`` (`ip`, `account`, `service`), built once in
    the lifespan.

    :raises LookupError: no such setting (a bug).
    """
    limits: RouteLimits = request.app.state.rate_limits
    return limits.get(route, scope)


def ip_limited(route: str) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency counting each request against ``route``'s limit per client
    address (`client_address`).

    :raises RateLimitedError: over the limit (429).
    """

    async def limit_per_ip(request: Request) -> None:
        await rate_limit(request, route, "ip").acquire(client_address(request))

    return limit_per_ip


async def get_access_token_verifier(request: Request) -> AccessTokenVerifier:
    """The process's verifier of auth's access tokens (built in the lifespan)."""
    verifier: AccessTokenVerifier = request.app.state.access_token_verifier
    return verifier


async def get_internal_api_token(request: Request) -> SecretStr | None:
    """`USERS_INTERNAL_API_TOKEN`: the credential of the internal API (None: refuse all)."""
    return _settings(request).internal_api_token


async def get_admin_credentials(request: Request) -> Mapping[str, SecretStr]:
    """`USERS_ADMIN_CREDENTIALS`: administrator name -> secret (empty: refuse all)."""
    return _settings(request).admin_credentials


def _restore_ticket_verifier(request: Request) -> RestoreTicketVerifier:
    verifier: RestoreTicketVerifier = request.app.state.restore_ticket_verifier
    return verifier


def deletion_policy(settings: UsersSettings) -> DeletionPolicy:
    return DeletionPolicy(grace=settings.deletion.grace_period)


def account_eraser(session: AsyncSession, ids: IdGenerator) -> AccountEraser:
    """The purge's facade over one session (the API's grace-0 deletion, the worker)."""
    return AccountEraser(
        SqlaUserCommandGateway(session),
        SqlaSocialAccountQueryGateway(session),
        SqlaUserEventOutbox(session),
        ids,
    )


def profile_query(connection: PoolConnectionProxy) -> GetProfileQuery:
    return GetProfileQuery(AsyncpgProfileQueryGateway(connection), _profile_builder)


async def update_profile_interactor(request: Request, session: Session) -> UpdateProfileInteractor:
    return UpdateProfileInteractor(
        SqlaUserCommandGateway(session),
        SqlaSocialAccountQueryGateway(session),
        SqlaTransactionManager(session),
        UserProfileBuilder(_names),
        _clock(request),
    )


def _request_deletion(request: Request, session: AsyncSession) -> RequestAccountDeletionInteractor:
    """The deletion of ``DELETE /me``, on ``session``: also what a provider's unlink
    notice runs for an account it leaves with no login method."""
    return RequestAccountDeletionInteractor(
        SqlaUserCommandGateway(session),
        SqlaUserEventOutbox(session),
        account_eraser(session, _ids(request)),
        SqlaTransactionManager(session),
        deletion_policy(_settings(request)),
        _clock(request),
        _ids(request),
    )


async def restore_account_interactor(
    request: Request, session: Session
) -> RestoreAccountInteractor:
    return RestoreAccountInteractor(
        _restore_ticket_verifier(request),
        rate_limit(request, "restore_account", "account"),
        SqlaUserCommandGateway(session),
        SqlaTransactionManager(session),
        _clock(request),
    )


async def disable_account_interactor(
    request: Request, session: Session
) -> DisableAccountInteractor:
    return DisableAccountInteractor(
        SqlaUserCommandGateway(session),
        SqlaUserEventOutbox(session),
        SqlaAdminActionLog(session),
        SqlaTransactionManager(session),
        _clock(request),
        _ids(request),
    )


async def enable_account_interactor(request: Request, session: Session) -> EnableAccountInteractor:
    return EnableAccountInteractor(
        SqlaUserCommandGateway(session),
        SqlaAdminActionLog(session),
        SqlaTransactionManager(session),
        _clock(request),
        _ids(request),
    )


async def request_deletion_interactor(
    request: Request, session: Session
) -> RequestAccountDeletionInteractor:
    return _request_deletion(request, session)


def characters_query(connection: PoolConnectionProxy) -> GetCharactersQuery:
    return GetCharactersQuery(AsyncpgAccountCharacterQueryGateway(connection))


def ownership_query(connection: PoolConnectionProxy) -> CheckCharacterOwnershipQuery:
    return CheckCharacterOwnershipQuery(AsyncpgAccountCharacterQueryGateway(connection))


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
        UserProfileBuilder(_names),
        default_character(_settings(request)),
        _clock(request),
        _ids(request),
    )


async def record_login_interactor(request: Request, session: Session) -> RecordLoginInteractor:
    return RecordLoginInteractor(
        SqlaUserCommandGateway(session),
        SqlaSocialAccountCommandGateway(session),
        SqlaTransactionManager(session),
        _clock(request),
    )


async def link_identity_interactor(request: Request, session: Session) -> LinkIdentityInteractor:
    return LinkIdentityInteractor(
        SqlaUserCommandGateway(session),
        SqlaSocialAccountCommandGateway(session),
        SqlaTransactionManager(session),
        _clock(request),
        _ids(request),
    )


async def end_identity_link_interactor(
    request: Request, session: Session
) -> EndIdentityLinkInteractor:
    return EndIdentityLinkInteractor(
        SqlaUserCommandGateway(session),
        SqlaSocialAccountCommandGateway(session),
        SqlaSocialAccountQueryGateway(session),
        SqlaTransactionManager(session),
        _request_deletion(request, session),
    )


async def find_identity_query(session: Session) -> FindIdentityQuery:
    return FindIdentityQuery(SqlaSocialAccountQueryGateway(session))


async def list_social_accounts_query(request: Request) -> AsyncIterator[ListSocialAccountsQuery]:
    """On a connection of the read pool (committed rows, no transaction), like the
    profile's read."""
    async with read_connection(request) as connection:
        yield ListSocialAccountsQuery(AsyncpgProfileQueryGateway(connection))


async def unlink_social_account_interactor(
    request: Request, session: Session
) -> UnlinkSocialAccountInteractor:
    return UnlinkSocialAccountInteractor(
        SqlaUserCommandGateway(session),
        SqlaSocialAccountCommandGateway(session),
        SqlaSocialAccountQueryGateway(session),
        SqlaTransactionManager(session),
        _clock(request),
        timedelta(seconds=_settings(request).recent_sign_in_seconds),
    )
