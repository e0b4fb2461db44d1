"""Worker: the blacklist relay, a consumer group on the users' event stream:
`user.deletion_requested`, `user.disabled`, `user.purged` (and the legacy `user.deleted`)
revoke all the user's sessions (`RedisUserEventConsumer` holds the per-message rules).

The consumer name defaults to the host name (the pod name), so a relay restarted
after a crash is the same consumer and applies its own pending messages at once.
Dead letters go to `P relay:dead-letter`. SIGTERM/SIGINT stop it between messages.
`/health`, `/ready` (Redis answers) and `/metrics` are served on
`AUTH_RELAY__METRICS_HOST`:`AUTH_RELAY__METRICS_PORT`. It needs no database: the
login audit's erasure at a purge is the audit eraser's (`audit_eraser`), a group of
its own, so a PostgreSQL outage never delays a revocation.

Run: `auth-blacklist-relay` PEX, or `python -m auth.workers.consumers.blacklist_relay`.
"""

from __future__ import annotations

import socket

from auth.application.token.commands.revoke_all import RevokeAllSessionsInteractor
from auth.infrastructure.user_events.redis_user_event_consumer import RedisUserEventConsumer
from auth.infrastructure.user_events.user_event_handler import revoking_sessions
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem, load_keys
from auth.workers.consumers.consumer_group import build_consumer
from servicekit.health import ReadinessChecks
from servicekit.logging import configure_logging
from servicekit.redis import RedisClient, create_redis, ping_redis
from servicekit.worker_run import run_worker, start_worker


def build_relay(
    settings: AuthSettings, redis: RedisClient, tokens: TokenSystem
) -> RedisUserEventConsumer:
    """The revocation group, applying revoke-all."""
    return build_consumer(
        settings,
        redis,
        group=settings.relay.group,
        handler=revoking_sessions(RevokeAllSessionsInteractor(tokens.service).execute),
        name="blacklist relay",
    )


async def _serve(settings: AuthSettings, http_socket: socket.socket | None) -> None:
    redis = create_redis(
        settings.redis_url.get_secret_value(),
        cluster=settings.redis_cluster,
        max_connections=settings.redis_max_connections,
        timeout=settings.relay.block_seconds + 5,
    )
    tokens = TokenSystem.build(settings, redis, load_keys(settings))
    relay = build_relay(settings, redis, tokens)
    try:
        await run_worker(
            relay.run,
            relay.stop,
            http_socket=http_socket,
            readiness=lambda: ReadinessChecks(required={"redis": lambda: ping_redis(redis)}),
        )
    finally:
        await redis.aclose()


def main() -> None:
    """Entry point of the `auth-blacklist-relay` PEX."""
    settings = AuthSettings()
    configure_logging("auth-blacklist-relay", settings.log_level)
    start_worker(
        "auth-blacklist-relay",
        settings.relay,
        "AUTH_RELAY__METRICS",
        lambda sock: _serve(settings, sock),
    )


if __name__ == "__main__":
    main()
