"""`GET /sessions` says which device: the login's address (through trusted proxies), the
device, OS and browser its user agent names, when it was created and last refreshed,
and which one is asking. Sessions stored before these fields existed are still listed."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.proxied_auth import FRONTEND, ProxiedAuth, proxied_auth
from auth_tests.integration.token.conftest import bearer, refresh_header
from servicekit.redis import RedisClient

pytestmark = pytest.mark.redis_single_and_cluster

SESSIONS = "/api/v1/auth/sessions"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1"
)
KAKAO_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-S918N Build/UP1A.231005.007; wv) AppleWebKit/537.36"
    " (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36;"
    "KAKAOTALK 2410430"
)


async def sign_in(api: ProxiedAuth, user_agent: str, address: str) -> tuple[str, str]:
    """A whole login through the provider; the session's access and refresh tokens."""
    path = await api.provider_redirect()
    done = await api.client.get(
        path, headers={"User-Agent": user_agent, "X-Forwarded-For": address}
    )
    assert done.headers["location"] == f"{FRONTEND}/login/success"
    return done.cookies["s_access"], done.cookies["s_refresh"]


async def test_each_session_says_where_and_on_what_it_was_opened(settings: AuthSettings) -> None:
    async with proxied_auth(settings, trusted_proxies=["127.0.0.0/8"]) as api:
        phone_access, phone_refresh = await sign_in(api, IPHONE, "203.0.113.10")
        listed = await api.client.get(SESSIONS, headers=bearer(phone_access))
        assert listed.status_code == 200
        [phone] = listed.json()["sessions"]
        # The same account signs in again from another device: the fake provider
        # answers every login with one user, so both sessions are its.
        kakao_access, _ = await sign_in(api, KAKAO_ANDROID, "198.51.100.20")
        before_refresh = await api.client.get(SESSIONS, headers=bearer(kakao_access))
        rotated = await api.client.post(
            "/api/v1/auth/refresh", headers={**refresh_header(phone_refresh), "Cookie": ""}
        )
        assert rotated.status_code == 200
        after_refresh = await api.client.get(SESSIONS, headers=bearer(kakao_access))

    assert {k: phone[k] for k in ("ip_address", "device", "os", "browser", "current")} == {
        "ip_address": "203.0.113.10",
        "device": "iPhone",
        "os": "iOS 17.2",
        "browser": "Mobile Safari 17.2",
        "current": True,
    }
    assert phone["user_agent"] == IPHONE
    assert phone["created_at"] == phone["last_used_at"]
    sessions = {s["session_id"]: s for s in before_refresh.json()["sessions"]}
    assert len(sessions) == 2
    assert rotated.json()["session_id"] == phone["session_id"]
    kakao = next(s for s in sessions.values() if s["session_id"] != phone["session_id"])
    assert {k: kakao[k] for k in ("ip_address", "device", "os", "browser", "current")} == {
        "ip_address": "198.51.100.20",
        "device": "Samsung SM-S918N",
        "os": "Android 14",
        "browser": "KakaoTalk",
        "current": True,
    }
    assert sessions[phone["session_id"]]["current"] is False
    # A refresh moves last_used_at (and nothing else it recorded at login).
    refreshed = next(
        s for s in after_refresh.json()["sessions"] if s["session_id"] == phone["session_id"]
    )
    assert refreshed["created_at"] == phone["created_at"]
    assert datetime.fromisoformat(refreshed["last_used_at"]) > datetime.fromisoformat(
        phone["last_used_at"]
    )
    assert {k: refreshed[k] for k in ("ip_address", "device", "os", "browser")} == {
        "ip_address": "203.0.113.10",
        "device": "iPhone",
        "os": "iOS 17.2",
        "browser": "Mobile Safari 17.2",
    }


async def test_a_session_stored_before_devices_were_recorded_is_listed_with_nulls(
    settings: AuthSettings, redis: RedisClient
) -> None:
    async with proxied_auth(settings, trusted_proxies=[]) as api:
        tokens: TokenSystem = api.app.state.tokens
        user = uuid.uuid4()
        pair = await tokens.service.issue_and_register(
            user_id=user, provider="acme", device_id="web", user_agent="old"
        )
        # The hash as the previous release wrote it: no address or device fields.
        legacy = RedisKeys(settings.redis_key_prefix).session(str(user), pair.session_id)
        async with redis.pipeline(transaction=False) as pipe:
            pipe.hdel(legacy, "ip_address", "device", "os", "browser")
            assert await pipe.execute() == [4]
        listed = await api.client.get(SESSIONS, headers=bearer(pair.access_token))
    assert listed.status_code == 200
    [session] = listed.json()["sessions"]
    assert (session["session_id"], session["user_agent"], session["current"]) == (
        pair.session_id,
        "old",
        True,
    )
    assert {k: session[k] for k in ("ip_address", "device", "os", "browser")} == dict.fromkeys(
        ("ip_address", "device", "os", "browser")
    )
