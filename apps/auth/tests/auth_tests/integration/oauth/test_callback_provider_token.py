"""A login through the API keeps the provider's refresh token, sealed at rest; with the
database down the login still succeeds and the miss is logged and counted."""

from __future__ import annotations

import base64
import logging
import os

import pytest
from prometheus_client import REGISTRY
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from auth.infrastructure.persistence_postgres.sqla_provider_token_store import associated_data
from auth.infrastructure.security.aes_gcm_key_ring import AesGcmKeyRing
from auth.setup.provider_unlink_settings import ProviderTokenSettings
from auth.setup.settings import AuthSettings
from auth_tests.integration.proxied_auth import FRONTEND, PROVIDER, audit_rows, proxied_auth

KEY = os.urandom(32)
SUBJECT = "24680"  # the fake provider's subject


@pytest.fixture
def sealing(settings: AuthSettings) -> AuthSettings:
    keys = {"k1": SecretStr(base64.b64encode(KEY).decode())}
    return settings.model_copy(
        update={"provider_tokens": ProviderTokenSettings(keys=keys, current_kid="k1")}
    )


def kept(outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "auth_provider_tokens_kept_total", {"provider": PROVIDER, "outcome": outcome}
    )
    return value or 0.0


async def stored_token(database_url: str) -> tuple[object, str, bytes]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    text(
                        "SELECT user_id, key_id, refresh_token FROM auth.provider_tokens"
                        " WHERE provider = :provider AND provider_user_id = :subject"
                    ),
                    {"provider": PROVIDER, "subject": SUBJECT},
                )
            ).one()
    finally:
        await engine.dispose()
    return row[0], row[1], row[2]


async def test_a_login_keeps_the_providers_refresh_token_sealed(
    sealing: AuthSettings, database_url: str
) -> None:
    before = kept("stored")
    async with proxied_auth(sealing, trusted_proxies=[]) as api:
        login = await api.callback(await api.provider_redirect())
        assert login.headers["location"] == f"{FRONTEND}/login/success"
    [(_, _, user_id, _)] = await audit_rows(database_url, api.agent)
    owner, kid, sealed = await stored_token(database_url)
    assert (owner, kid) == (user_id, "k1")
    token = AesGcmKeyRing({"k1": KEY}, "k1").open(
        kid,
        sealed,
        associated_data(PROVIDER, SUBJECT, owner),  # type: ignore[arg-type]
    )
    assert token.startswith("rt-")  # the fake provider's refresh token of that exchange
    assert token.encode() not in sealed
    assert kept("stored") == before + 1


async def test_with_the_database_down_the_login_succeeds_without_keeping_the_token(
    sealing: AuthSettings, caplog: pytest.LogCaptureFixture
) -> None:
    before = kept("failed")
    async with proxied_auth(sealing, trusted_proxies=[]) as api:
        path = await api.provider_redirect()
        await api.postgres.stop()
        logging.getLogger().addHandler(caplog.handler)
        try:
            login = await api.callback(path)
        finally:
            logging.getLogger().removeHandler(caplog.handler)
        await api.postgres.start()
    assert login.headers["location"] == f"{FRONTEND}/login/success"
    assert "s_access" in login.headers["set-cookie"]
    assert kept("failed") == before + 1
    [warning] = [r for r in caplog.records if r.getMessage().startswith("provider token not")]
    assert warning.levelno == logging.WARNING
    assert warning.__dict__["provider"] == PROVIDER
    assert "rt-" not in caplog.text
