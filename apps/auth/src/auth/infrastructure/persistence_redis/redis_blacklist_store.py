"""BlacklistStore on Redis: sorted sets scored by expiry, so one read bootstraps a replica.

Keys `P {revocations}:deny:jti`, `:deny:sid`, `:revoked-before` (+ `:until`),
`:epoch`: see `keys` (one hash tag, one slot); they are written by
`RedisBlacklistEventPublisher` (the epoch by `revocation_epoch`). A question answered
from Redis is one script that first makes sure of the epoch, so an emptied Redis
never answers "not revoked" for a token issued before the loss; the snapshot is one
read-only script, so it is one consistent moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from redis.exceptions import RedisError

from auth.application.token.exceptions.token import RevocationStateUnavailableError
from auth.application.token.ports.blacklist_store import BlacklistStore
from auth.domain.token.claims import TokenClaims
from auth.infrastructure.persistence_redis.epoch_ms import to_ms
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.persistence_redis.revocation_epoch import (
    ENSURE_EPOCH_LUA,
    RedisRevocationEpoch,
)
from kernel.clock import Clock
from servicekit.redis import RedisClient
from servicekit.redis_script import register_script

# KEYS: deny:jti, deny:sid, revoked-before, then the epoch's keys
# ARGV: jti, sid, user id, iat ms, then the epoch's args
_IS_REVOKED = (
    ENSURE_EPOCH_LUA
    + """
local epoch = ensure_epoch(KEYS[4], KEYS[5], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
local iat = tonumber(ARGV[4])
if iat < tonumber(epoch[2]) then return 1 end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZSCORE', KEYS[2], ARGV[2]) then
  return 1
end
local before = redis.call('HGET', KEYS[3], ARGV[3])
if before and iat < tonumber(before) then return 1 end
return 0
"""
)

# KEYS: deny:jti, deny:sid, revoked-before, revoked-before:until, epoch; ARGV: now ms
_SNAPSHOT = """
return {
  redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf', 'WITHSCORES'),
  redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[1], '+inf', 'WITHSCORES'),
  redis.call('HGETALL', KEYS[3]),
  redis.call('ZRANGEBYSCORE', KEYS[4], ARGV[1], '+inf', 'WITHSCORES'),
  redis.call('HMGET', KEYS[5], 'id', 'before'),
}
"""


@dataclass(frozen=True, slots=True)
class RevocationSnapshot:
    """Every live revocation; times in Unix seconds."""

    jtis: dict[str, float]
    sessions: dict[str, float]
    users: dict[UUID, tuple[float, float]]  # user → (revoked before, keep until)
    epoch: str | None = None  # None: the marker is missing (Redis lost its data)
    revoked_before_all: float = 0.0  # the epoch's instant


class RedisBlacklistStore(BlacklistStore):
    """The authoritative denylist; replicas bootstrap from `snapshot()`."""

    def __init__(
        self, redis: RedisClient, keys: RedisKeys, clock: Clock, epoch: RedisRevocationEpoch
    ) -> None:
        self._keys = keys
        self._clock = clock
        self._epoch = epoch
        self._is_revoked = register_script(redis, _IS_REVOKED)
        self._snapshot = register_script(redis, _SNAPSHOT)

    async def is_revoked(self, claims: TokenClaims) -> bool:
        keys = self._keys
        try:
            revoked = await self._is_revoked(
                keys=[
                    keys.denied_jtis,
                    keys.denied_sessions,
                    keys.revoked_before,
                    *self._epoch.keys(),
                ],
                args=[
                    claims.jti,
                    claims.session_id,
                    str(claims.user_id),
                    claims.issued_at * 1000,
                    *self._epoch.args(),
                ],
            )
        except RedisError as exc:
            raise RevocationStateUnavailableError from exc
        return bool(revoked)

    async def snapshot(self) -> RevocationSnapshot:
        """Every revocation still in force, and the epoch, read in one script.

        :raises RedisError: Redis did not answer.
        """
        keys = self._keys
        jtis, sessions, before, until, (epoch, epoch_before) = await self._snapshot(
            keys=[
                keys.denied_jtis,
                keys.denied_sessions,
                keys.revoked_before,
                keys.revoked_before_until,
                keys.epoch,
            ],
            args=[to_ms(self._clock.now())],
        )
        keep = _scored(until)
        return RevocationSnapshot(
            jtis=_scored(jtis),
            sessions=_scored(sessions),
            users={
                UUID(user): (int(ms) / 1000, keep[user])
                for user, ms in _pairs(before)
                if user in keep
            },
            epoch=epoch.decode() if epoch is not None else None,
            revoked_before_all=int(epoch_before) / 1000 if epoch_before is not None else 0.0,
        )


def _pairs(flat: list[bytes]) -> list[tuple[str, bytes]]:
    """A flat [name, value, ...] reply as (name, value) pairs."""
    return [(flat[i].decode(), flat[i + 1]) for i in range(0, len(flat), 2)]


def _scored(flat: list[bytes]) -> dict[str, float]:
    """A flat [member, score ms, ...] reply as member → score in seconds."""
    return {member: float(score) / 1000 for member, score in _pairs(flat)}
