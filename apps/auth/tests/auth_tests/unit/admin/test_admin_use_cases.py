"""Force logout (all, one) and the login audit's pages, with in-memory fakes; every call
recorded with the administrator's name."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from auth.application.admin.commands.force_logout_session import ForceLogoutSessionInteractor
from auth.application.admin.commands.force_logout_user import ForceLogoutUserInteractor
from auth.application.admin.dto.admin import (
    ForceLogoutSessionRequest,
    ForceLogoutUserRequest,
    LoginAuditPageRequest,
)
from auth.application.admin.queries.login_audit_page import LoginAuditPageQuery
from auth.application.admin.services.admin_action_recorder import AdminActionRecorder
from auth.application.audit.dto.login_audit_filter import LoginAuditFilter
from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.token.exceptions.session import SessionNotFoundError
from auth.application.token.exceptions.token import TokenRevokedError
from auth.application.token.services.token_service import TokenService
from auth.domain.admin.admin_action import AdminActionKind, AdminActionOutcome
from auth.domain.audit.login_audit import LoginAudit
from auth_tests.unit.fakes.admin import InMemoryAdminActionLog, InMemoryLoginAuditRows
from auth_tests.unit.fakes.token import InMemorySessionStore
from kernel.ids import Uuid7Generator
from testkit.clock import ManualClock

ALICE = uuid.UUID("0190f000-0000-7000-8000-00000000000a")
BOB = uuid.UUID("0190f000-0000-7000-8000-00000000000b")


def recorder(log: InMemoryAdminActionLog, clock: ManualClock) -> AdminActionRecorder:
    return AdminActionRecorder(log, log, clock, Uuid7Generator())


async def login(service: TokenService, user: uuid.UUID) -> str:
    pair = await service.issue_and_register(
        user_id=user, provider="google", device_id=None, user_agent=None
    )
    return pair.access_token


async def test_force_logout_of_a_user_ends_every_session_and_records_who(
    service: TokenService, sessions: InMemorySessionStore, clock: ManualClock
) -> None:
    tokens = [await login(service, ALICE), await login(service, ALICE)]
    bobs = await login(service, BOB)
    clock.advance(1)  # iat is whole seconds: tokens of the revoking second are rejected too
    log = InMemoryAdminActionLog()

    result = await ForceLogoutUserInteractor(service, recorder(log, clock)).execute(
        ForceLogoutUserRequest(admin="ops-kim", user_id=ALICE)
    )

    assert result.ended_sessions == 2
    assert await sessions.list_for_user(ALICE) == []
    for token in tokens:
        with pytest.raises(TokenRevokedError):
            await service.verify_access(token)
    await service.verify_access(bobs)  # another user is untouched
    [action] = log.committed
    assert (action.admin, action.action, action.user_id, action.outcome) == (
        "ops-kim",
        AdminActionKind.FORCE_LOGOUT_USER,
        ALICE,
        AdminActionOutcome.DONE,
    )
    assert action.detail == "ended_sessions=2"


async def test_a_forced_logout_stands_when_its_record_goes_to_the_log(
    service: TokenService, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    token = await login(service, ALICE)
    clock.advance(1)
    log = InMemoryAdminActionLog()
    log.fail_commit = True
    with caplog.at_level(logging.ERROR):
        await ForceLogoutUserInteractor(service, recorder(log, clock)).execute(
            ForceLogoutUserRequest(admin="ops-kim", user_id=ALICE)
        )
    with pytest.raises(TokenRevokedError):
        await service.verify_access(token)
    [record] = [r.__dict__["admin_action"] for r in caplog.records if "admin_action" in r.__dict__]
    assert (record["admin"], record["action"], record["user_id"]) == (
        "ops-kim",
        "force_logout_user",
        str(ALICE),
    )


async def test_force_logout_of_one_session_leaves_the_others(
    service: TokenService, sessions: InMemorySessionStore, clock: ManualClock
) -> None:
    first = await service.issue_and_register(
        user_id=ALICE, provider="google", device_id=None, user_agent=None
    )
    second = await login(service, ALICE)
    log = InMemoryAdminActionLog()
    interactor = ForceLogoutSessionInteractor(service, recorder(log, clock))

    await interactor.execute(
        ForceLogoutSessionRequest(admin="ops-kim", user_id=ALICE, session_id=first.session_id)
    )

    with pytest.raises(TokenRevokedError):
        await service.verify_access(first.access_token)
    await service.verify_access(second)
    assert len(await sessions.list_for_user(ALICE)) == 1
    with pytest.raises(SessionNotFoundError):
        await interactor.execute(
            ForceLogoutSessionRequest(admin="ops-lee", user_id=ALICE, session_id=first.session_id)
        )
    assert [(a.admin, a.user_id, a.session_id, a.outcome) for a in log.committed] == [
        ("ops-kim", ALICE, first.session_id, AdminActionOutcome.DONE),
        ("ops-lee", ALICE, first.session_id, AdminActionOutcome.NOT_FOUND),
    ]


def _rows(clock: ManualClock) -> list[LoginAudit]:
    """Alice: 5 attempts a minute apart (success, failure alternating); Bob: one."""
    audits = LoginAuditService(clock=clock)
    rows = []
    for minute in range(5):
        result = "success" if minute % 2 == 0 else "failure"
        rows.append(
            audits.create_login_audit(
                result=result,
                user_id=ALICE,
                provider="kakao",
                reason=None if result == "success" else "access_denied",
                client_ip="203.0.113.9",
            )
        )
        clock.advance(timedelta(minutes=1))
    rows.append(audits.create_login_audit(result="success", user_id=BOB, provider="kakao"))
    return rows


async def test_the_login_audit_comes_in_pages_newest_first_and_each_read_is_recorded() -> None:
    clock = ManualClock(datetime(2026, 5, 1, 9, 0, tzinfo=UTC))
    rows = _rows(clock)
    log = InMemoryAdminActionLog()
    query = LoginAuditPageQuery(InMemoryLoginAuditRows(rows), log, log, clock, Uuid7Generator())

    first = await query.execute(
        LoginAuditPageRequest(admin="ops-kim", filter=LoginAuditFilter(user_id=ALICE), limit=2)
    )
    assert first.rows == [rows[4], rows[3]]
    assert first.next is not None
    second = await query.execute(
        LoginAuditPageRequest(
            admin="ops-kim", filter=LoginAuditFilter(user_id=ALICE, after=first.next), limit=2
        )
    )
    assert second.rows == [rows[2], rows[1]]
    last = await query.execute(
        LoginAuditPageRequest(
            admin="ops-kim", filter=LoginAuditFilter(user_id=ALICE, after=second.next), limit=2
        )
    )
    assert (last.rows, last.next) == ([rows[0]], None)

    failures = await query.execute(
        LoginAuditPageRequest(
            admin="ops-lee",
            filter=LoginAuditFilter(
                user_id=ALICE,
                result="failure",
                since=rows[1].occurred_at,
                until=rows[3].occurred_at,
            ),
            limit=10,
        )
    )
    assert failures.rows == [rows[1]]  # since inclusive, until exclusive
    assert [(a.admin, a.action, a.user_id) for a in log.committed] == [
        ("ops-kim", AdminActionKind.READ_LOGIN_AUDIT, ALICE)
    ] * 3 + [("ops-lee", AdminActionKind.READ_LOGIN_AUDIT, ALICE)]
    assert log.committed[-1].detail == (
        f"result=failure since={rows[1].occurred_at.isoformat()} "
        f"until={rows[3].occurred_at.isoformat()} rows=1"
    )


async def test_a_read_whose_record_cannot_be_stored_is_not_answered() -> None:
    clock = ManualClock(datetime(2026, 5, 1, 9, 0, tzinfo=UTC))
    log = InMemoryAdminActionLog()
    log.fail_commit = True
    query = LoginAuditPageQuery(
        InMemoryLoginAuditRows(_rows(clock)), log, log, clock, Uuid7Generator()
    )
    with pytest.raises(ConnectionError):
        await query.execute(
            LoginAuditPageRequest(admin="ops-kim", filter=LoginAuditFilter(user_id=ALICE), limit=5)
        )
