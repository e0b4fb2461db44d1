"""SessionStore on Redis: one hash per session, a set per user, Lua for every change.

Key names and TTLs: see `auth.infrastructure.persistence_redis.keys`. A user's
sessions, their grace keys and the user's set share the user's hash tag, and every
script gets each key it touches in KEYS: each change is atomic on a single Redis and
on a cluster alike. Every change is a `DurableScript`: acknowledged once the replicas
it waits for hold it (`<PREFIX>_REDIS_REPLICA_ACKS`), so a failover never hands a
client a token its session forgot.

Grace window: rotating stores the exact child pair under the session's grace key for
the window; a repeat of the parent gets that same pair back, so a client that lost
the response continues with the one family member that is current.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from redis.exceptions import RedisError

from auth.application.token.dto.token import TokenPair
from auth.application.token.exceptions.token import RevocationStateUnavailableError
from auth.application.token.ports.session_store import Rotation, RotationStatus, SessionStore
from auth.domain.token.session import Session
from auth.infrastructure.persistence_redis.epoch_ms import from_ms, to_ms
from auth.infrastructure.persistence_redis.keys import RedisKeys
from servicekit.redis import RedisClient
from servicekit.redis_script import DurableScript

_END_ALL_ROUNDS = 10

_EXTEND_USER_SET = """
local t = redis.call('PEXPIRETIME', KEYS[2])
if t < tonumber(ARGV[2]) then redis.call('PEXPIREAT', KEYS[2], ARGV[2]) end
"""

_REGISTER = (
    """
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
"""
    + _EXTEND_USER_SET
)

# KEYS: session, user set, grace
# ARGV: sid, child refresh expiry ms, presented jti, child jti, now ms, grace ms, child blob
_ROTATE = """
local cur = redis.call('HMGET', KEYS[1], 'refresh_jti', 'parent_jti')
if not cur[1] then return {'missing'} end
if cur[1] == ARGV[3] then
  redis.call('HSET', KEYS[1], 'refresh_jti', ARGV[4], 'parent_jti', ARGV[3],
             'last_used_at', ARGV[5], 'expires_at', ARGV[2])
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
  if tonumber(ARGV[6]) > 0 then
    redis.call('SET', KEYS[3], ARGV[7], 'PX', ARGV[6])
  else
    redis.call('DEL', KEYS[3])
  end
  local t = redis.call('PEXPIRETIME', KEYS[2])
  if t < tonumber(ARGV[2]) then redis.call('PEXPIREAT', KEYS[2], ARGV[2]) end
  return {'rotated', '', redis.call('HGETALL', KEYS[1])}
end
if cur[2] == ARGV[3] then
  local kept = redis.call('GET', KEYS[3])
  if kept then
    -- a write, so that waiting for the replicas covers the rotation that kept the pair
    redis.call('HSET', KEYS[1], 'last_used_at', ARGV[5])
    return {'grace', kept, redis.call('HGETALL', KEYS[1])}
  end
end
local fields = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('SREM', KEYS[2], ARGV[1])
return {'reused', '', fields}
"""

# KEYS: session, grace, user set; ARGV: sid
_END = """
local fields = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return fields
"""

# KEYS: user set, then session and grace of each sid in ARGV; returns the ended sids
_END_SOME = """
local ended = {}
for i, sid in ipairs(ARGV) do
  if redis.call('DEL', KEYS[2 * i]) == 1 then table.insert(ended, sid) end
  redis.call('DEL', KEYS[2 * i + 1])
  redis.call('SREM', KEYS[1], sid)
end
return ended
"""


def _encode_pair(pair: TokenPair) -> str:
    return json.dumps(
        {
            "a": pair.access_token,
            "r": pair.refresh_token,
            "aj": pair.access_jti,
            "rj": pair.refresh_jti,
            "sid": pair.session_id,
            "ae": to_ms(pair.access_expires_at),
            "re": to_ms(pair.refresh_expires_at),
        },
        separators=(",", ":"),
    )


def _decode_pair(raw: bytes) -> TokenPair:
    data: dict[str, Any] = json.loads(raw)
    return TokenPair(
        access_token=data["a"],
        refresh_token=data["r"],
        access_jti=data["aj"],
        refresh_jti=data["rj"],
        session_id=data["sid"],
        access_expires_at=from_ms(data["ae"]),
        refresh_expires_at=from_ms(data["re"]),
    )


def _session(session_id: str, flat: list[bytes]) -> Session | None:
    if not flat:
        return None
    fields = {flat[i].decode(): flat[i + 1].decode() for i in range(0, len(flat), 2)}
    return Session(
        session_id,
        user_id=UUID(fields["user_id"]),
        provider=fields["provider"],
        device_id=fields.get("device_id") or None,
        user_agent=fields.get("user_agent") or None,
        created_at=from_ms(fields["created_at"]),
        last_used_at=from_ms(fields["last_used_at"]),
        expires_at=from_ms(fields["expires_at"]),
        # Absent from sessions registered before devices were recorded.
        ip_address=fields.get("ip_address") or None,
        device=fields.get("device") or None,
        os=fields.get("os") or None,
        browser=fields.get("browser") or None,
    )


class RedisSessionStore(SessionStore):
    """Sessions in Redis; a Redis failure surfaces as RevocationStateUnavailableError (503)."""

    def __init__(self, redis: RedisClient, keys: RedisKeys, *, replica_acks: int = 0) -> None:
        self._redis = redis
        self._keys = keys
        self._register = DurableScript(redis, _REGISTER, replica_acks=replica_acks)
        self._rotate = DurableScript(redis, _ROTATE, replica_acks=replica_acks)
        self._end = DurableScript(redis, _END, replica_acks=replica_acks)
        self._end_some = DurableScript(redis, _END_SOME, replica_acks=replica_acks)

    async def register(self, session: Session, pair: TokenPair) -> None:
        expires_ms = to_ms(session.expires_at)
        fields = {
            "user_id": str(session.user_id),
            "provider": session.provider,
            "device_id": session.device_id or "",
            "user_agent": session.user_agent or "",
            "created_at": to_ms(session.created_at),
            "last_used_at": to_ms(session.last_used_at),
            "expires_at": expires_ms,
            "refresh_jti": pair.refresh_jti,
            "parent_jti": "",
            "ip_address": session.ip_address or "",
            "device": session.device or "",
            "os": session.os or "",
            "browser": session.browser or "",
        }
        flat = [item for pair_ in fields.items() for item in pair_]
        user = str(session.user_id)
        await self._call(
            self._register,
            [self._keys.session(user, session.id), self._keys.user_sessions(user)],
            [session.id, expires_ms, *flat],
        )

    async def rotate(
        self,
        *,
        session_id: str,
        user_id: UUID,
        presented_jti: str,
        child: TokenPair,
        now: datetime,
        grace_seconds: float,
    ) -> Rotation:
        child_expiry_ms = to_ms(child.refresh_expires_at)
        user = str(user_id)
        reply = await self._call(
            self._rotate,
            [
                self._keys.session(user, session_id),
                self._keys.user_sessions(user),
                self._keys.session_grace(user, session_id),
            ],
            [
                session_id,
                child_expiry_ms,
                presented_jti,
                child.refresh_jti,
                to_ms(now),
                int(grace_seconds * 1000),
                _encode_pair(child),
            ],
        )
        status = RotationStatus(reply[0].decode())
        if status is RotationStatus.MISSING:
            return Rotation(status)
        session = _session(session_id, reply[2])
        if status is RotationStatus.ROTATED:
            return Rotation(status, pair=child, session=session)
        if status is RotationStatus.GRACE:
            return Rotation(status, pair=_decode_pair(reply[1]), session=session)
        return Rotation(status, session=session)

    async def get(self, user_id: UUID, session_id: str) -> Session | None:
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.hgetall(self._keys.session(str(user_id), session_id))
                (flat,) = await pipe.execute()
        except RedisError as exc:
            raise RevocationStateUnavailableError from exc
        return _session(session_id, _flatten(flat))

    async def list_for_user(self, user_id: UUID) -> list[Session]:
        user = str(user_id)
        try:
            ids = await self._session_ids(user)
            async with self._redis.pipeline(transaction=False) as pipe:
                for sid in ids:
                    pipe.hgetall(self._keys.session(user, sid))
                rows = await pipe.execute()
        except RedisError as exc:
            raise RevocationStateUnavailableError from exc
        sessions = [_session(sid, _flatten(row)) for sid, row in zip(ids, rows, strict=True)]
        return sorted((s for s in sessions if s is not None), key=lambda s: s.created_at)

    async def end(self, user_id: UUID, session_id: str) -> Session | None:
        user = str(user_id)
        flat = await self._call(
            self._end,
            [
                self._keys.session(user, session_id),
                self._keys.session_grace(user, session_id),
                self._keys.user_sessions(user),
            ],
            [session_id],
        )
        return _session(session_id, flat)

    async def end_all(self, user_id: UUID) -> list[str]:
        """Ends the sessions the user's set names, round after round until it names none
        (a login that raced with a round is ended by the next; at most `_END_ALL_ROUNDS`):
        each round is one script given every key it deletes."""
        user = str(user_id)
        ended: list[str] = []
        for _ in range(_END_ALL_ROUNDS):
            try:
                sids = await self._session_ids(user)
            except RedisError as exc:
                raise RevocationStateUnavailableError from exc
            if not sids:
                break
            keys = [self._keys.user_sessions(user)]
            for sid in sids:
                keys += [self._keys.session(user, sid), self._keys.session_grace(user, sid)]
            reply = await self._call(self._end_some, keys, sids)
            ended += (sid.decode() for sid in reply)
        return sorted(ended)

    async def _session_ids(self, user: str) -> list[str]:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.smembers(self._keys.user_sessions(user))
            (members,) = await pipe.execute()
        return sorted(member.decode() for member in members)

    async def _call(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        try:
            return await script(keys=keys, args=args)
        except RedisError as exc:
            raise RevocationStateUnavailableError from exc


def _flatten(raw: Any) -> list[bytes]:
    """HGETALL answers a dict (RESP2 parser) or a flat list; make it a flat list."""
    if isinstance(raw, dict):
        return [item for kv in raw.items() for item in kv]
    return list(raw)
