"""BlacklistEventPublisher on Redis: record the denial and append it to the stream, in one script.

Keys `P {revocations}:deny:jti`, `:deny:sid`, `:revoked-before` (+ `:until`) and the
stream `P {revocations}` (capped, approximate): see `keys` (one hash tag, one slot).
Each publication also prunes what has expired from the structure it writes, and is a
`DurableScript`: confirmed once the replicas it waits for hold it, so a failover never
brings a revoked token back.
"""

from __future__ import annotations

from redis.exceptions import RedisError

from auth.application.token.exceptions.token import RevocationStateUnavailableError
from auth.application.token.ports.blacklist_event_publisher import (
    BlacklistEventPublisher,
    RevocationEvent,
)
from auth.infrastructure.persistence_redis.epoch_ms import to_ms
from auth.infrastructure.persistence_redis.keys import RedisKeys
from kernel.clock import Clock
from servicekit.redis import RedisClient
from servicekit.redis_script import DurableScript

# KEYS: deny:jti, deny:sid, revoked-before, revoked-before:until, revocations
# ARGV: kind, subject, until ms, before ms ('' unless kind = user), now ms, stream cap
_PUBLISH = """
local kind, subject, keep, before, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if kind == 'jti' or kind == 'sid' then
  local denied = KEYS[2]
  if kind == 'jti' then denied = KEYS[1] end
  redis.call('ZADD', denied, 'GT', keep, subject)
  redis.call('ZREMRANGEBYSCORE', denied, '-inf', '(' .. now)
else
  local current = tonumber(redis.call('HGET', KEYS[3], subject) or '0')
  if tonumber(before) > current then redis.call('HSET', KEYS[3], subject, before) end
  redis.call('ZADD', KEYS[4], 'GT', keep, subject)
  for _, user in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '(' .. now)) do
    redis.call('HDEL', KEYS[3], user)
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. now)
end
if before == '' then
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[6], '*',
             'kind', kind, 'subject', subject, 'until', keep)
else
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[6], '*',
             'kind', kind, 'subject', subject, 'until', keep, 'before', before)
end
"""


class RedisBlacklistEventPublisher(BlacklistEventPublisher):
    """The denylist write and its stream entry happen together or not at all."""

    def __init__(
        self,
        redis: RedisClient,
        keys: RedisKeys,
        clock: Clock,
        *,
        maxlen: int,
        replica_acks: int = 0,
    ) -> None:
        self._keys = keys
        self._clock = clock
        self._maxlen = maxlen
        self._publish = DurableScript(redis, _PUBLISH, replica_acks=replica_acks)

    async def publish(self, event: RevocationEvent) -> None:
        keys = self._keys
        try:
            await self._publish(
                keys=[
                    keys.denied_jtis,
                    keys.denied_sessions,
                    keys.revoked_before,
                    keys.revoked_before_until,
                    keys.revocations,
                ],
                args=[
                    event.kind.value,
                    event.subject,
                    to_ms(event.until),
                    to_ms(event.before) if event.before is not None else "",
                    to_ms(self._clock.now()),
                    self._maxlen,
                ],
            )
        except RedisError as exc:
            raise RevocationStateUnavailableError from exc
