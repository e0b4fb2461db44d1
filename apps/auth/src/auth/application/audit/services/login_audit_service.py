"""Pure factory of LoginAudit records (no ports: the use case stores them)."""

from __future__ import annotations

from uuid import UUID

from auth.domain.audit.login_audit import LoginAudit
from kernel.clock import Clock, SystemClock
from kernel.ids import IdGenerator, Uuid7Generator
from kernel.text import clean_text


class LoginAuditService:
    """Builds audit records: a time-ordered id, the current time, and the user
    agent cleaned of characters PostgreSQL cannot store (NUL, lone surrogates) and
    cut to the column's size (a client controls it, so it must not make the audit
    fail)."""

    def __init__(self, clock: Clock | None = None, ids: IdGenerator | None = None) -> None:
        self._clock = clock or SystemClock()
        self._ids = ids or Uuid7Generator()

    def create_login_audit(
        self,
        *,
        result: str,
        user_id: UUID | None = None,
        provider: str | None = None,
        session_id: str | None = None,
        access_jti: str | None = None,
        reason: str | None = None,
        client_ip: str | None = None,
        user_agent: str | None = None,
    ) -> LoginAudit:
        """A new record; raises ``kernel.errors.ValidationError`` on an
        inconsistent combination (a success without a user, a failure without a reason)."""
        return LoginAudit(
            id_=self._ids.new_id(),
            user_id=user_id,
            provider=provider,
            session_id=session_id,
            access_jti=access_jti,
            result=result,
            reason=reason,
            client_ip=client_ip,
            user_agent=clean_text(user_agent, LoginAudit.USER_AGENT_MAX_LEN),
            occurred_at=self._clock.now(),
        )
