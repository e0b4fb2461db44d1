"""The shared Redis fixtures: modules marked `redis_single_and_cluster` run on a single
Redis and on a Redis Cluster of their own (see `testkit.fixtures`)."""

from __future__ import annotations

from testkit.fixtures import pytest_generate_tests, redis_cluster, redis_target, single_redis_url

__all__ = ["pytest_generate_tests", "redis_cluster", "redis_target", "single_redis_url"]
