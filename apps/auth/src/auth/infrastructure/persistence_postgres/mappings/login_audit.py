"""Table `auth.login_audit` and its imperative mapping to LoginAudit."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, Index, String, Table, Uuid

from auth.domain.audit.login_audit import LoginAudit, LoginResult
from auth.infrastructure.persistence_postgres.registry import mapper_registry, metadata

RESULT_VALUES = ", ".join(f"'{result.value}'" for result in LoginResult)

login_audit_table = Table(
    "login_audit",
    metadata,
    Column("id", Uuid(), primary_key=True),
    # A reference to the users service's user, deliberately without a foreign key.
    Column("user_id", Uuid(), nullable=True),
    Column("provider", String(LoginAudit.PROVIDER_MAX_LEN), nullable=True),
    Column("session_id", String(LoginAudit.REFERENCE_MAX_LEN), nullable=True),
    Column("access_jti", String(LoginAudit.REFERENCE_MAX_LEN), nullable=True),
    Column("result", String(16), nullable=False),
    Column("reason", String(LoginAudit.REASON_MAX_LEN), nullable=True),
    Column("client_ip", String(LoginAudit.CLIENT_IP_MAX_LEN), nullable=True),
    Column("user_agent", String(LoginAudit.USER_AGENT_MAX_LEN), nullable=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(f"result IN ({RESULT_VALUES})", name="result"),
    Index("ix_login_audit_user_id_occurred_at", "user_id", "occurred_at"),
    Index("ix_login_audit_occurred_at", "occurred_at"),
)


def map_login_audit() -> None:
    """Map LoginAudit onto `auth.login_audit` (columns become attributes of the same name)."""
    mapper_registry.map_imperatively(LoginAudit, login_audit_table)
