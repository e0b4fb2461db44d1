"""The token integration fixtures (Redis client, per-test key prefix) for the worker tests."""

from __future__ import annotations

from auth_tests.integration.token.conftest import redis, test_prefix

__all__ = ["redis", "test_prefix"]
