"""BlacklistStore on Redis: sorted sets scored by expiry, so one read bootstraps a replica.

Keys `P deny:jti`, `P deny:sid`, `P revoked-before` (+ `:until`): see `keys`. Every
write prunes what has expired, in the same script.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from auth.application.token.exceptions.token import RevocationStateUnavailableError
from auth.application.token.ports.blacklist_store import BlacklistStore
from auth.domain.token.claims import TokenClaims
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.persistence_redis.revocation_codec import to_ms
from kernel.clock import Clock

# KEYS: sorted set; ARGV: member, until ms, now ms
_DENY = """
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
"""

# KEYS: revoked-before hash, its until set; ARGV: user id, before ms, until ms, now ms
_REVOKE_USER = """
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('ZADD', KEYS[2], 'GT', ARGV[3], ARGV[1])
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
for _, user in ipairs(expired) do redis.call('HDEL', KEYS[1], user) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
"""


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
        self._deny = redis.register_script(_DENY)
        self._revoke_user = redis.register_script(_REVOKE_USER)

    async def deny_token(self, jti: str, until: datetime) -> None:
        await self._run(self._deny, [self._keys.denied_jtis], [jti, to_ms(until), self._now_ms()])

    async def deny_session(self, session_id: str, until: datetime) -> None:
        await self._run(
            self._deny, [self._keys.denied_sessions], [session_id, to_ms(until), self._now_ms()]
        )

    async def revoke_user(self, user_id: UUID, before: datetime, until: datetime) -> None:
        await self._run(
            self._revoke_user,
            [self._keys.revoked_before, self._keys.revoked_before_until],
            [str(user_id), to_ms(before), to_ms(until), self._now_ms()],
        )

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
        now = self._now_ms()
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

    def _now_ms(self) -> int:
        return to_ms(self._clock.now())

    async def _run(self, script: object, keys: list[str], args: list[object]) -> None:
        try:
            await script(keys=keys, args=args)  # type: ignore[operator]
        except RedisError as exc:
            raise RevocationStateUnavailableError from exc
