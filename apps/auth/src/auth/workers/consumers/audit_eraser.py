"""Worker: the audit eraser, a consumer group on the users' event stream: `user.purged`
clears the purged user's client IPs and user agents from `auth.login_audit`
(`EraseLoginAuditInteractor`; what the audit keeps: README "auth: accounts").

A group of its own, apart from the blacklist relay's, so a PostgreSQL outage delays
only the erasure (its message stays pending and is retried, never dead-lettered for
an outage), never a revocation. Redelivery, claiming and dead letters follow
`AUTH_RELAY__…` like the relay's; the consumer name is the host name too.
`/health`, `/ready` (Redis and PostgreSQL answer) and `/metrics` are served on
`AUTH_AUDIT_ERASER__METRICS_HOST`:`AUTH_AUDIT_ERASER__METRICS_PORT`.
SIGTERM/SIGINT stop it between messages.

Run: `auth-audit-eraser` PEX, or `python -m auth.workers.consumers.audit_eraser`.
"""

from __future__ import annotations

import socket

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.application.audit.commands.erase_login_audit import EraseLoginAuditInteractor
from auth.application.audit.dto.erase_login_audit import EraseLoginAuditRequest
from auth.infrastructure.persistence_postgres.sqla_login_audit_eraser import SqlaLoginAuditEraser
from auth.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from auth.infrastructure.user_events.redis_user_event_consumer import RedisUserEventConsumer
from auth.infrastructure.user_events.user_event_handler import erasing_login_audit
from auth.setup.settings import AuthSettings
from auth.workers.consumers.consumer_group import build_consumer
from servicekit.logging import configure_logging
from servicekit.redis import RedisClient
from servicekit.resources import Resources
from servicekit.worker_run import run_worker, start_worker


def build_eraser(
    settings: AuthSettings, redis: RedisClient, sessions: async_sessionmaker[AsyncSession]
) -> RedisUserEventConsumer:
    """The erasure group: each purge's erasure in a transaction of its own."""

    async def erase(request: EraseLoginAuditRequest) -> int:
        async with sessions() as session:
            interactor = EraseLoginAuditInteractor(
                SqlaLoginAuditEraser(session), SqlaTransactionManager(session)
            )
            return await interactor.execute(request)

    return build_consumer(
        settings,
        redis,
        group=settings.audit_eraser.group,
        handler=erasing_login_audit(erase),
        name="audit eraser",
    )


async def _serve(settings: AuthSettings, http_socket: socket.socket | None) -> None:
    resources = Resources.open(settings)
    eraser = build_eraser(settings, resources.redis, resources.session_factory)
    try:
        await run_worker(
            eraser.run,
            eraser.stop,
            http_socket=http_socket,
            readiness=lambda: resources.readiness(required=frozenset({"postgres", "redis"})),
        )
    finally:
        await resources.close()


def main() -> None:
    """Entry point of the `auth-audit-eraser` PEX."""
    settings = AuthSettings()
    configure_logging("auth-audit-eraser", settings.log_level)
    start_worker(
        "auth-audit-eraser",
        settings.audit_eraser,
        "AUTH_AUDIT_ERASER__METRICS",
        lambda sock: _serve(settings, sock),
    )


if __name__ == "__main__":
    main()
