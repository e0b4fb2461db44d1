"""The shared ops contract (/health, /ready, /metrics, errors, request ids) on auth."""

from __future__ import annotations

import pytest

from auth.setup.app import create_app
from testkit.ops_contract import (
    AppOn,
    test_every_error_response_is_documented_as_code_and_detail,
    test_health_answers_ok,
    test_metrics_count_requests_by_route_template,
    test_ready_fails_only_for_the_core_paths_dependency,
    test_ready_follows_its_dependencies_cut_and_restored,
    test_ready_when_postgres_and_redis_answer,
    test_request_id_is_echoed_or_generated,
    test_unknown_route_is_a_json_error_with_a_code,
)

__all__ = [
    "test_every_error_response_is_documented_as_code_and_detail",
    "test_health_answers_ok",
    "test_metrics_count_requests_by_route_template",
    "test_ready_fails_only_for_the_core_paths_dependency",
    "test_ready_follows_its_dependencies_cut_and_restored",
    "test_ready_when_postgres_and_redis_answer",
    "test_request_id_is_echoed_or_generated",
    "test_unknown_route_is_a_json_error_with_a_code",
]


@pytest.fixture
def app_on() -> AppOn:
    return create_app


@pytest.fixture
def core_dependency() -> str:
    """/validate and /refresh need Redis (sessions, revocations), not PostgreSQL."""
    return "redis"
