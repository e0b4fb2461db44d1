"""NoticeReplayGuard in Redis: `SET NX EX` claims, `DEL` releases.

Key: `RedisKeys.unlink_notice` (`P unlink-notice:{provider}:{digest}`), value "1", for
the claim's lifetime. One command each, so of concurrent deliveries of one notice
exactly one claims it. A Redis failure surfaces as NoticeStoreUnavailableError.
"""

from __future__ import annotations

from redis.exceptions import RedisError

from auth.application.unlink_notice.exceptions.unlink_notice import NoticeStoreUnavailableError
from auth.application.unlink_notice.ports.notice_replay_guard import NoticeReplayGuard
from auth.infrastructure.persistence_redis.keys import RedisKeys
from servicekit.redis import RedisClient


class RedisNoticeReplayGuard(NoticeReplayGuard):
    def __init__(self, redis: RedisClient, keys: RedisKeys) -> None:
        self._redis = redis
        self._keys = keys

    async def claim(self, provider: str, replay_key: str, ttl_seconds: int) -> bool:
        try:
            taken = await self._redis.set(
                self._keys.unlink_notice(provider, replay_key), "1", nx=True, ex=ttl_seconds
            )
        except RedisError as exc:
            raise NoticeStoreUnavailableError from exc
        return bool(taken)

    async def release(self, provider: str, replay_key: str) -> None:
        try:
            await self._redis.delete(self._keys.unlink_notice(provider, replay_key))
        except RedisError as exc:
            raise NoticeStoreUnavailableError from exc
