"""StateStore in Redis: `SET NX EX` to create, `GETDEL` to consume.

Key: `RedisKeys.oauth_state` (`P oauth:state:{state}`) holding the JSON of the
pending login, expiring after the state lifetime. Consuming is one atomic command,
so of any number of concurrent callbacks with one state exactly one gets it. A
Redis failure surfaces as OAuthStateUnavailableError.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from redis.exceptions import RedisError

from auth.application.oauth.dto.link_intent import LinkIntent
from auth.application.oauth.dto.oauth_state import OAuthState
from auth.application.oauth.exceptions.oauth import OAuthStateUnavailableError
from auth.application.oauth.ports.state_store import StateStore
from auth.infrastructure.persistence_redis.keys import RedisKeys
from servicekit.redis import RedisClient


class RedisStateStore(StateStore):
    """Pending OAuth logins under the service's key prefix."""

    def __init__(self, redis: RedisClient, keys: RedisKeys) -> None:
        self._redis = redis
        self._keys = keys

    async def save(self, state: OAuthState, ttl_seconds: int) -> bool:
        try:
            created = await self._redis.set(
                self._keys.oauth_state(state.state), _encode(state), nx=True, ex=ttl_seconds
            )
        except RedisError as exc:
            raise OAuthStateUnavailableError from exc
        return bool(created)

    async def consume(self, state: str) -> OAuthState | None:
        try:
            raw = await self._redis.getdel(self._keys.oauth_state(state))
        except RedisError as exc:
            raise OAuthStateUnavailableError from exc
        return None if raw is None else _decode(state, raw)


def _encode(state: OAuthState) -> str:
    data: dict[str, Any] = {
        "provider": state.provider,
        "redirect_uri": state.redirect_uri,
        "frontend_origin": state.frontend_origin,
        "created_at": state.created_at.isoformat(),
        "code_verifier": state.code_verifier,
        "nonce": state.nonce,
        "device_id": state.device_id,
    }
    if state.link is not None:
        data["link_user_id"] = str(state.link.user_id)
        data["link_session_id"] = state.link.session_id
    return json.dumps(data, separators=(",", ":"))


def _decode(state: str, raw: bytes | str) -> OAuthState:
    data = json.loads(raw)
    return OAuthState(
        state=state,
        provider=data["provider"],
        redirect_uri=data["redirect_uri"],
        frontend_origin=data["frontend_origin"],
        created_at=datetime.fromisoformat(data["created_at"]),
        code_verifier=data["code_verifier"],
        nonce=data["nonce"],
        device_id=data["device_id"],
        link=LinkIntent(UUID(data["link_user_id"]), data["link_session_id"])
        if "link_user_id" in data
        else None,
    )
