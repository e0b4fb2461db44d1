"""authorize and callback over their per-address limits: a 429 with its headers, and an
audited `error=rate_limited` redirect; with Redis cut, the limits fail open and the
routes answer as they do without them."""

from __future__ import annotations

import uuid

from prometheus_client import REGISTRY

from auth.setup.rate_limit_settings import AuthRateLimitSettings
from auth.setup.settings import AuthSettings
from auth_tests.integration.proxied_auth import FRONTEND, audit_rows, error_of, proxied_auth

CLIENT = {"X-Forwarded-For": "198.51.100.61"}


def limited(settings: AuthSettings, **routes: dict[str, str]) -> AuthSettings:
    """`settings` with the given limits, under a key prefix of its own (fresh windows)."""
    return settings.model_copy(
        update={
            "redis_key_prefix": f"{settings.redis_key_prefix}{uuid.uuid4().hex[:8]}:",
            "rate_limits": AuthRateLimitSettings.model_validate(routes),
        }
    )


def decisions(route: str, decision: str) -> float:
    labels = {"route": route, "scope": "ip", "decision": decision}
    return REGISTRY.get_sample_value("rate_limit_decisions_total", labels) or 0.0


async def test_authorize_over_the_address_limit_is_429_with_its_headers(
    settings: AuthSettings,
) -> None:
    async with proxied_auth(
        limited(settings, authorize={"per_ip": "2/minute"}), trusted_proxies=["127.0.0.0/8"]
    ) as api:
        answers = [
            await api.client.get("/api/v1/auth/acme/authorize", headers=CLIENT) for _ in range(3)
        ]
        other = await api.client.get(
            "/api/v1/auth/acme/authorize", headers={"X-Forwarded-For": "198.51.100.62"}
        )
    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[2]
    assert refused.json() == {
        "code": "RATE_LIMITED",
        "detail": "Too many requests; try again later.",
    }
    assert refused.headers["ratelimit-limit"] == "2"
    assert refused.headers["ratelimit-remaining"] == "0"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["ratelimit-reset"] == refused.headers["retry-after"]
    assert other.status_code == 200  # another client has its own window


async def test_a_callback_over_the_address_limit_redirects_with_rate_limited_audited(
    settings: AuthSettings, database_url: str
) -> None:
    async with proxied_auth(
        limited(settings, callback={"per_ip": "1/minute"}), trusted_proxies=["127.0.0.0/8"]
    ) as api:
        first, second = await api.provider_redirect(), await api.provider_redirect()
        success = await api.callback(first, **CLIENT)
        refused = await api.callback(second, **CLIENT)
        elsewhere = await api.callback(second, **{"X-Forwarded-For": "198.51.100.63"})
    assert success.headers["location"] == f"{FRONTEND}/login/success"
    assert error_of(refused) == "rate_limited"
    # The refused callback left its state alone: from another address it logs in.
    assert elsewhere.headers["location"] == f"{FRONTEND}/login/success"
    rows = await audit_rows(database_url, api.agent)
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("success", None, "198.51.100.61"),
        ("failure", "rate_limited", "198.51.100.61"),
        ("success", None, "198.51.100.63"),
    ]


async def test_with_redis_cut_the_limits_fail_open_and_are_counted(
    settings: AuthSettings, database_url: str
) -> None:
    before = decisions("authorize", "fail_open"), decisions("callback", "fail_open")
    async with proxied_auth(
        limited(settings, authorize={"per_ip": "1/minute"}, callback={"per_ip": "1/minute"}),
        trusted_proxies=["127.0.0.0/8"],
    ) as api:
        path = await api.provider_redirect()
        await api.redis.stop()
        authorize = await api.client.get("/api/v1/auth/acme/authorize", headers=CLIENT)
        callback = await api.callback(path, **CLIENT)
        await api.redis.start()
    # Not 429, not 500: what the routes answer without Redis.
    assert (authorize.status_code, authorize.json()["code"]) == (503, "STATE_STORE_UNAVAILABLE")
    assert error_of(callback) == "state_store_unavailable"
    after = decisions("authorize", "fail_open"), decisions("callback", "fail_open")
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)
