"""BlacklistStore on Redis: sorted sets scored by expiry, so one read bootstraps a replica.

Keys `P deny:jti`, `P deny:sid`, `P revoked-before` (+ `:until`): see `keys`; they
are written by `RedisBlacklistEventPublisher`.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from auth.application.token.exceptions.token import RevocationStateUnavailableError
from auth.application.token.ports.blacklist_store import BlacklistStore
from auth.domain.token.claims import TokenClaims
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.persistence_redis.revocation_codec import to_ms
from kernel.clock import Clock


@dataclass(frozen=True, slots=True)
class RevocationSnapshot:
    """Every live revocation; times in Unix seconds."""

    jtis: dict[str, float]
    sessions: dict[str, float]
    users: dict[UUID, tuple[float, float]]  # user → (revoked before, keep until)


class RedisBlacklistStore(BlacklistStore):
    """The authoritative denylist; replicas bootstrap from `snapshot()`."""

    def __init__(self, redis: Redis, keys: RedisKeys, clock: Clock) -> None:
        self._redis = redis
        self._keys = keys
        self._clock = clock

    async def is_revoked(self, claims: TokenClaims) -> bool:
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.zscore(self._keys.denied_jtis, claims.jti)
                pipe.zscore(self._keys.denied_sessions, claims.session_id)
                pipe.hget(self._keys.revoked_before, str(claims.user_id))
                jti, sid, before = await pipe.execute()
        except RedisError as exc:
            raise RevocationStateUnavailableError from exc
        if jti is not None or sid is not None:
            return True
        return before is not None and claims.issued_at * 1000 < int(before.decode())

    async def snapshot(self) -> RevocationSnapshot:
        """Every revocation still in force, read in one transaction."""
        now = to_ms(self._clock.now())
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrangebyscore(self._keys.denied_jtis, now, "+inf", withscores=True)
            pipe.zrangebyscore(self._keys.denied_sessions, now, "+inf", withscores=True)
            pipe.hgetall(self._keys.revoked_before)
            pipe.zrangebyscore(self._keys.revoked_before_until, now, "+inf", withscores=True)
            jtis, sessions, before, until = await pipe.execute()
        keep = {member.decode(): score / 1000 for member, score in until}
        return RevocationSnapshot(
            jtis={member.decode(): score / 1000 for member, score in jtis},
            sessions={member.decode(): score / 1000 for member, score in sessions},
            users={
                UUID(user.decode()): (int(ms) / 1000, keep[user.decode()])
                for user, ms in before.items()
                if user.decode() in keep
            },
        )
