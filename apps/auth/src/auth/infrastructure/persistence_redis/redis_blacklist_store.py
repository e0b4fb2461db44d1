"""BlacklistStore on Redis: sorted sets scored by expiry, so one read bootstraps a replica.

Keys `P deny:jti`, `P deny:sid`, `P revoked-before` (+ `:until`), `P epoch`: see
`keys`; they are written by `RedisBlacklistEventPublisher` (the epoch by
`revocation_epoch`). A question answered from Redis is one script that first makes
sure of the epoch, so an emptied Redis never answers "not revoked" for a token
issued before the loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from redis.asyncio import Redis
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
        self, redis: Redis, keys: RedisKeys, clock: Clock, epoch: RedisRevocationEpoch
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._clock = clock
        self._epoch = epoch
        self._is_revoked = redis.register_script(_IS_REVOKED)

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
        """Every revocation still in force, and the epoch, read in one transaction."""
        now = to_ms(self._clock.now())
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrangebyscore(self._keys.denied_jtis, now, "+inf", withscores=True)
            pipe.zrangebyscore(self._keys.denied_sessions, now, "+inf", withscores=True)
            pipe.hgetall(self._keys.revoked_before)
            pipe.zrangebyscore(self._keys.revoked_before_until, now, "+inf", withscores=True)
            pipe.hmget(self._keys.epoch, ["id", "before"])
            jtis, sessions, before, until, (epoch, epoch_before) = await pipe.execute()
        keep = {member.decode(): score / 1000 for member, score in until}
        return RevocationSnapshot(
            jtis={member.decode(): score / 1000 for member, score in jtis},
            sessions={member.decode(): score / 1000 for member, score in sessions},
            users={
                UUID(user.decode()): (int(ms) / 1000, keep[user.decode()])
                for user, ms in before.items()
                if user.decode() in keep
            },
            epoch=epoch.decode() if epoch is not None else None,
            revoked_before_all=int(epoch_before) / 1000 if epoch_before is not None else 0.0,
        )
