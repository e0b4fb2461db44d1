"""authorize and callback with the state store's Redis cut: a 503 and an audited error
redirect, never a 500; both work again as soon as Redis is back."""

from __future__ import annotations

import asyncio
import time

from auth.setup.settings import AuthSettings
from auth_tests.integration.proxied_auth import audit_rows, error_of, proxied_auth


async def test_authorize_is_503_state_store_unavailable_and_recovers(
    settings: AuthSettings,
) -> None:
    async with proxied_auth(settings, trusted_proxies=[]) as api:
        assert (await api.authorize()).status_code == 200
        await api.redis.stop()
        down = await api.authorize()
        assert (down.status_code, down.json()["code"]) == (503, "STATE_STORE_UNAVAILABLE")
        await api.redis.start()
        started = time.perf_counter()
        for _ in range(200):  # at most ~2 s
            if (await api.authorize()).status_code == 200:
                break
            await asyncio.sleep(0.01)
        recovery = time.perf_counter() - started
        print(f"authorize recovery after Redis came back: {recovery * 1000:.1f} ms")
        assert recovery <= 1.0


async def test_callback_is_an_audited_state_store_unavailable_redirect(
    settings: AuthSettings, database_url: str
) -> None:
    async with proxied_auth(settings, trusted_proxies=["127.0.0.0/8"]) as api:
        path = await api.provider_redirect()
        await api.redis.stop()
        response = await api.callback(path, **{"X-Forwarded-For": "198.51.100.7"})
        assert error_of(response) == "state_store_unavailable"
        await api.redis.start()
        # The state was never consumed: the same callback now logs in.
        again = await api.callback(path)
        assert again.headers["location"] == "http://localhost:3000/login/success"
    rows = await audit_rows(database_url, api.agent)
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("failure", "state_store_unavailable", "198.51.100.7"),
        ("success", None, "127.0.0.1"),
    ]
