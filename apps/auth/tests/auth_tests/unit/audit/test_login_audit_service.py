"""LoginAuditService builds consistent, bounded audit records."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.domain.audit.login_audit import LoginAudit, LoginResult
from kernel.errors import ValidationError
from testkit.clock import ManualClock

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FIXED_ID = UUID("01900000-0000-7000-8000-000000000001")


class FixedIds:
    def new_id(self) -> UUID:
        return FIXED_ID


def service() -> LoginAuditService:
    return LoginAuditService(clock=ManualClock(NOW), ids=FixedIds())


def test_success_record_carries_every_field_and_the_clock_time() -> None:
    user_id = uuid4()
    audit = service().create_login_audit(
        result=LoginResult.SUCCESS,
        user_id=user_id,
        provider="kakao",
        session_id="sid-1",
        access_jti="jti-1",
        client_ip="203.0.113.7",
        user_agent="Mozilla/5.0",
    )
    assert audit.id == FIXED_ID
    assert (audit.user_id, audit.provider, audit.session_id, audit.access_jti) == (
        user_id,
        "kakao",
        "sid-1",
        "jti-1",
    )
    assert (audit.result, audit.reason) == ("success", None)
    assert (audit.client_ip, audit.user_agent, audit.occurred_at) == (
        "203.0.113.7",
        "Mozilla/5.0",
        NOW,
    )


def test_failure_without_user_keeps_the_reason_code() -> None:
    audit = service().create_login_audit(result="failure", provider="naver", reason="invalid_state")
    assert (audit.result, audit.reason, audit.user_id) == ("failure", "invalid_state", None)


def test_refresh_reuse_is_a_valid_result() -> None:
    audit = service().create_login_audit(
        result="refresh_reuse", user_id=uuid4(), session_id="sid", reason="refresh_reused"
    )
    assert audit.result == "refresh_reuse"


def test_an_overlong_user_agent_is_cut_to_the_column_size() -> None:
    audit = service().create_login_audit(
        result="failure", reason="provider_error", user_agent="x" * 2000
    )
    assert audit.user_agent == "x" * LoginAudit.USER_AGENT_MAX_LEN


def test_a_user_agent_postgresql_cannot_store_is_cleaned() -> None:
    audit = service().create_login_audit(
        result="failure", reason="provider_error", user_agent="Mozilla\x00/5.0 \ud800Kakao"
    )
    assert audit.user_agent == "Mozilla/5.0 Kakao"


@pytest.mark.parametrize(
    ("result", "user_id", "reason"),
    [
        ("success", None, None),  # a success names its user
        ("success", UUID(int=1), "invalid_state"),  # and has no failure reason
        ("failure", None, None),  # a failure says why
        ("refresh_reuse", UUID(int=1), None),
        ("timeout", None, "x"),  # unknown result
    ],
)
def test_inconsistent_records_are_refused(
    result: str, user_id: UUID | None, reason: str | None
) -> None:
    with pytest.raises(ValidationError):
        service().create_login_audit(result=result, user_id=user_id, reason=reason)


def test_the_id_of_a_record_cannot_change() -> None:
    audit = service().create_login_audit(result="failure", reason="invalid_state")
    with pytest.raises(AttributeError):
        audit.id = uuid4()
