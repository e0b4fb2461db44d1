"""A consumer of one group on the users' event stream, configured by `AUTH_RELAY__…`."""

from __future__ import annotations

import socket

from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.user_events.redis_user_event_consumer import RedisUserEventConsumer
from auth.infrastructure.user_events.user_event_handler import UserEventHandler
from auth.setup.settings import AuthSettings
from servicekit.redis import RedisClient


def default_consumer_name() -> str:
    """The host name: in Kubernetes the pod name, which a container restart keeps, so
    the restarted relay finds its own pending messages (a new pod is a new consumer;
    the old one's messages are claimed after `claim_min_idle_seconds`)."""
    return socket.gethostname()


def build_consumer(
    settings: AuthSettings, redis: RedisClient, *, group: str, handler: UserEventHandler, name: str
) -> RedisUserEventConsumer:
    """A consumer of `group` with the relay settings (redelivery, dead letters, batches)."""
    relay = settings.relay
    return RedisUserEventConsumer(
        redis,
        stream=settings.user_events_stream,
        group=group,
        consumer=relay.consumer or default_consumer_name(),
        dead_letter_stream=RedisKeys(settings.redis_key_prefix).dead_letter,
        handler=handler,
        max_deliveries=relay.max_deliveries,
        claim_min_idle_seconds=relay.claim_min_idle_seconds,
        block_seconds=relay.block_seconds,
        batch_size=relay.batch_size,
        name=name,
    )
