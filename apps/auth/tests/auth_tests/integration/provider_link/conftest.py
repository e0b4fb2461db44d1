"""Local servers speaking the providers' unlink endpoints, and auth's OAuth settings
pointing at them (Kakao with its admin key, Naver, Google, Apple configured); the
token fixtures' Redis client and per-test key prefix for the worker tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from auth.setup.oauth_settings import OAuthSettings
from auth_tests.integration.fakes.apple_provider import FakeApple
from auth_tests.integration.fakes.local_server import serve_all
from auth_tests.integration.fakes.unlink_providers import (
    GOOGLE_PATH,
    KAKAO_ADMIN_KEY,
    KAKAO_PATH,
    NAVER_CLIENT_ID,
    NAVER_CLIENT_SECRET,
    NAVER_PATH,
    FakeUnlinkProviders,
)
from auth_tests.integration.token.conftest import redis, test_prefix

__all__ = ["redis", "test_prefix"]


@dataclass
class Providers:
    fake: FakeUnlinkProviders
    apple: FakeApple

    def oauth(self, **overrides: object) -> OAuthSettings:
        base = self.fake.base_url
        settings: dict[str, object] = {
            "kakao": {"admin_key": KAKAO_ADMIN_KEY, "unlink_url": base + KAKAO_PATH},
            "naver": {
                "client_id": NAVER_CLIENT_ID,
                "client_secret": NAVER_CLIENT_SECRET,
                "unlink_token_url": base + NAVER_PATH,
            },
            "google": {
                "client_id": "google-client",
                "client_secret": "google-secret",
                "revocation_url": base + GOOGLE_PATH,
            },
            "apple": self.apple.settings(),
        }
        return OAuthSettings.model_validate({**settings, **overrides})


@pytest.fixture
async def providers() -> AsyncIterator[Providers]:
    fake, apple = FakeUnlinkProviders(), FakeApple()
    async with serve_all(fake.app(), apple.app()) as (fake_url, apple_url):
        fake.base_url, apple.base_url = fake_url, apple_url
        yield Providers(fake, apple)
