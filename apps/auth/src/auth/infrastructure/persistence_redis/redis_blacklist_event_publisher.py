"""BlacklistEventPublisher on a Redis Stream (`P revocations`, capped)."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from auth.application.token.exceptions.token import RevocationStateUnavailableError
from auth.application.token.ports.blacklist_event_publisher import (
    BlacklistEventPublisher,
    RevocationEvent,
)
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.persistence_redis.revocation_codec import encode_event


class RedisBlacklistEventPublisher(BlacklistEventPublisher):
    """XADD with an approximate MAXLEN: followers that fall behind the cap re-bootstrap."""

    def __init__(self, redis: Redis, keys: RedisKeys, *, maxlen: int) -> None:
        self._redis = redis
        self._stream = keys.revocations
        self._maxlen = maxlen

    async def publish(self, event: RevocationEvent) -> None:
        try:
            fields: dict[Any, Any] = encode_event(event)
            await self._redis.xadd(self._stream, fields, maxlen=self._maxlen, approximate=True)
        except RedisError as exc:
            raise RevocationStateUnavailableError from exc
