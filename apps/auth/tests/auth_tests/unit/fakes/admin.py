"""In-memory fakes of the admin and audit-reading ports."""

from __future__ import annotations

from auth.application.audit.dto.login_audit_filter import LoginAuditFilter
from auth.domain.admin.admin_action import AdminAction
from auth.domain.audit.login_audit import LoginAudit


class InMemoryAdminActionLog:
    """AdminActionLog and TransactionManager together: records appear on commit;
    ``fail_commit`` plays the audit database down."""

    def __init__(self) -> None:
        self.staged: list[AdminAction] = []
        self.committed: list[AdminAction] = []
        self.fail_commit = False

    async def add(self, action: AdminAction) -> None:
        self.staged.append(action)

    async def commit(self) -> None:
        if self.fail_commit:
            self.staged.clear()
            raise ConnectionError("database down")
        self.committed.extend(self.staged)
        self.staged.clear()


class InMemoryLoginAuditRows:
    """LoginAuditQueryGateway over a list, with the same order and filter rules."""

    def __init__(self, rows: list[LoginAudit]) -> None:
        self.rows = rows

    async def page(self, audit_filter: LoginAuditFilter, limit: int) -> list[LoginAudit]:
        after = audit_filter.after
        matching = [
            row
            for row in self.rows
            if row.user_id == audit_filter.user_id
            and (audit_filter.result is None or row.result == audit_filter.result)
            and (audit_filter.since is None or row.occurred_at >= audit_filter.since)
            and (audit_filter.until is None or row.occurred_at < audit_filter.until)
            and (after is None or (row.occurred_at, row.id) < (after.occurred_at, after.id))
        ]
        matching.sort(key=lambda row: (row.occurred_at, row.id), reverse=True)
        return matching[:limit]
