"""Worker: purge the accounts whose deletion grace period is over.

Run: ``python -m users.workers.account_purge`` (or the `users-account-purge` PEX).
Every ``USERS_DELETION__PURGE_INTERVAL_SECONDS`` it purges batches of
``USERS_DELETION__PURGE_BATCH_SIZE`` accounts (one transaction each, accounts claimed
with ``FOR UPDATE SKIP LOCKED``, so several workers may run) until none is due; each
purge records ``user.purged`` in the outbox, which the outbox relay publishes.
`/health`, `/ready` (PostgreSQL answers) and `/metrics` are served on
``USERS_DELETION__METRICS_HOST``:``USERS_DELETION__METRICS_PORT``.
Stops gracefully on SIGTERM/SIGINT after the batch in progress.
"""

from __future__ import annotations

import asyncio
import logging
import socket

from opentelemetry import trace

from kernel.clock import Clock, SystemClock
from kernel.ids import IdGenerator, Uuid7Generator
from servicekit.logging import configure_logging
from servicekit.resources import Resources
from servicekit.worker_run import run_worker, start_worker
from users.application.lifecycle.commands.purge_due_accounts import PurgeDueAccountsInteractor
from users.application.lifecycle.dto.lifecycle import PurgeDueAccountsRequest
from users.application.lifecycle.services.account_eraser import AccountEraser
from users.infrastructure.lifecycle.purge_loop import PurgeBatch, PurgeLoop
from users.infrastructure.outbox.sqla_user_event_outbox import SqlaUserEventOutbox
from users.infrastructure.persistence_postgres.gateways.sqla_due_account_gateway import (
    SqlaDueAccountGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_social_account_gateway import (
    SqlaSocialAccountQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_gateway import (
    SqlaUserCommandGateway,
)
from users.infrastructure.persistence_postgres.mappings import map_tables
from users.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from users.setup.settings import UsersSettings

logger = logging.getLogger("users.account_purge")
tracer = trace.get_tracer(__name__)


def purge_batch(
    settings: UsersSettings,
    resources: Resources,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
) -> PurgeBatch:
    """One batch: a session, the use case over it, one transaction; with tracing on, a
    span, which the `user.purged` events it writes carry on to their consumers."""
    clock = clock or SystemClock()
    ids = ids or Uuid7Generator()
    request = PurgeDueAccountsRequest(limit=settings.deletion.purge_batch_size)

    async def run() -> int:
        with tracer.start_as_current_span("purge due accounts") as span:
            purged = await purge()
            span.set_attribute("users.purged_accounts", purged)
            return purged

    async def purge() -> int:
        async with resources.session_factory() as session:
            eraser = AccountEraser(
                SqlaUserCommandGateway(session),
                SqlaSocialAccountQueryGateway(session),
                SqlaUserEventOutbox(session),
                ids,
            )
            interactor = PurgeDueAccountsInteractor(
                SqlaDueAccountGateway(session),
                eraser,
                SqlaTransactionManager(session),
                clock,
            )
            return await interactor.execute(request)

    return run


def build_loop(settings: UsersSettings, resources: Resources) -> PurgeLoop:
    deletion = settings.deletion
    return PurgeLoop(
        purge_batch(settings, resources),
        batch_size=deletion.purge_batch_size,
        interval=deletion.purge_interval_seconds,
        max_backoff=deletion.max_backoff_seconds,
    )


async def run(settings: UsersSettings, http_socket: socket.socket | None = None) -> None:
    stop = asyncio.Event()
    map_tables()
    resources = Resources.open(settings)

    async def purge() -> None:
        logger.info(
            "account purge started",
            extra={"grace_period_s": settings.deletion.grace_period.total_seconds()},
        )
        await build_loop(settings, resources).run(stop)

    try:
        await run_worker(
            purge,
            stop.set,
            http_socket=http_socket,
            readiness=lambda: resources.readiness(required=frozenset({"postgres"})),
        )
    finally:
        await resources.close()
        logger.info("account purge stopped")


def main() -> None:
    settings = UsersSettings()
    configure_logging("users-account-purge", settings.log_level)
    start_worker(
        "users-account-purge",
        settings.deletion,
        "USERS_DELETION__METRICS",
        lambda sock: run(settings, sock),
    )


if __name__ == "__main__":
    main()
