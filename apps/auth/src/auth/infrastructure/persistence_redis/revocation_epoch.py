"""The revocation epoch: how auth notices that Redis lost its data, and what it then rejects.

`P {revocations}:epoch` (hash, no TTL): `id` (random) and `before` (ms). Redis that comes back
empty (or from an older copy) has lost denials that nobody can rebuild, and the
sessions with them. So whoever finds the marker missing starts a new epoch, in one
script: `before` = now, and an entry `kind=all` on the revocation stream, so every
validator's copy applies it too. Every access token issued before `before` is then
revoked: 0 tokens revoked before the loss come back to life, at the price of every
signed-in user signing in again (their sessions were lost anyway). The marker and
its instant are one hash, so they can only vanish together.

Where the marker is checked: the follower's bootstrap and every turn of its loop
(which also compares the stream with the last entry it read: a stream that went
backwards lost data even if the marker survived), and the script that answers
`is_revoked` from Redis. A marker missing on the very first start costs nothing:
no token exists yet. Tokens carry `iat` in whole seconds, so a token issued in the
second in which an epoch began is rejected too; a process serves only once that
second is over (`settle_seconds`).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from auth.infrastructure.persistence_redis.epoch_ms import from_ms, to_ms
from auth.infrastructure.persistence_redis.keys import RedisKeys
from kernel.clock import Clock
from servicekit.redis import RedisClient
from servicekit.redis_script import register_script

# A Lua function for scripts that answer from Redis: the current epoch {id, before ms},
# a new one when the marker is missing. Its arguments come from `keys()` + `args()`.
ENSURE_EPOCH_LUA = """
local function ensure_epoch(epoch, stream, id, now, keep, cap)
  local current = redis.call('HMGET', epoch, 'id', 'before')
  if current[1] then return current end
  redis.call('HSET', epoch, 'id', id, 'before', now)
  redis.call('XADD', stream, 'MAXLEN', '~', cap, '*',
             'kind', 'all', 'subject', id, 'until', keep, 'before', now)
  return {id, now}
end
"""

# KEYS: epoch, revocations; ARGV: `args()`, expected epoch id, last stream id read
_CHECK = (
    ENSURE_EPOCH_LUA
    + """
local function older(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
if ARGV[6] ~= '0-0' and redis.call('HGET', KEYS[1], 'id') == ARGV[5] then
  local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  if #newest == 0 or older(newest[1][1], ARGV[6]) then
    redis.call('DEL', KEYS[1])
  end
end
return ensure_epoch(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
"""
)


@dataclass(frozen=True, slots=True)
class RevocationEpoch:
    """One generation of Redis's revocation data; tokens issued before `revoked_before`
    are revoked."""

    id: str
    revoked_before: datetime

    def settle_seconds(self, now: datetime) -> float:
        """How long until a token issued from `now` on is not before this epoch
        (`iat` is whole seconds); at most one second."""
        return max(0.0, min(1.0, math.ceil(self.revoked_before.timestamp()) - now.timestamp()))


class RedisRevocationEpoch:
    """Reads the epoch marker, starting a new epoch when it is missing."""

    def __init__(
        self,
        redis: RedisClient,
        keys: RedisKeys,
        clock: Clock,
        *,
        access_ttl: timedelta,
        maxlen: int,
    ) -> None:
        self._keys = keys
        self._clock = clock
        self._access_ttl = access_ttl
        self._maxlen = maxlen
        self._check = register_script(redis, _CHECK)

    def keys(self) -> list[str]:
        """The KEYS `ensure_epoch` needs, in order."""
        return [self._keys.epoch, self._keys.revocations]

    def args(self) -> list[str | int]:
        """The ARGV `ensure_epoch` needs, in order: a new id, now, until, stream cap."""
        now = self._clock.now()
        return [uuid.uuid4().hex, to_ms(now), to_ms(now + self._access_ttl), self._maxlen]

    async def ensure(
        self, *, expected: str | None = None, last_read: bytes = b"0-0"
    ) -> RevocationEpoch:
        """The current epoch; a new one when the marker is missing, or when it is still
        `expected` but the stream no longer holds `last_read` (it went backwards).

        :raises RedisError: Redis did not answer.
        """
        reply = await self._check(
            keys=self.keys(), args=[*self.args(), expected or "", last_read.decode()]
        )
        return RevocationEpoch(id=reply[0].decode(), revoked_before=from_ms(reply[1]))

    def settle_seconds(self, epoch: RevocationEpoch) -> float:
        """How long until a token issued now is not before `epoch`, by this clock."""
        return epoch.settle_seconds(self._clock.now())
