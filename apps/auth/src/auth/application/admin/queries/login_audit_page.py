"""Query: an administrator reads one user's login audit, a page at a time."""

from __future__ import annotations

from auth.application.admin.dto.admin import LoginAuditPage, LoginAuditPageRequest
from auth.application.admin.ports.admin_action_log import AdminActionLog
from auth.application.audit.dto.login_audit_filter import LoginAuditCursor, LoginAuditFilter
from auth.application.audit.ports.login_audit_query_gateway import LoginAuditQueryGateway
from auth.application.common.ports.transaction_manager import TransactionManager
from auth.domain.admin.admin_action import AdminAction, AdminActionKind, AdminActionOutcome
from kernel.clock import Clock
from kernel.ids import IdGenerator


class LoginAuditPageQuery:
    """The user's login attempts (results ``success``, ``failure``, ``refresh_reuse``),
    newest first, filtered by result and by time (``since`` inclusive, ``until``
    exclusive), ``limit`` rows a page; ``next`` is the cursor of the following page,
    stable while rows are added (keyset on time and id).

    Reading personal data is itself recorded, with the administrator's name and the
    filter, in the same transaction: if the record cannot be stored, the rows are not
    returned.

    :raises Exception: the audit database did not answer (503).
    """

    def __init__(
        self,
        audits: LoginAuditQueryGateway,
        actions: AdminActionLog,
        transaction: TransactionManager,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._audits = audits
        self._actions = actions
        self._transaction = transaction
        self._clock = clock
        self._ids = ids

    async def execute(self, request: LoginAuditPageRequest) -> LoginAuditPage:
        wanted = request.filter
        rows = await self._audits.page(wanted, request.limit + 1)
        page, more = rows[: request.limit], len(rows) > request.limit
        await self._actions.add(
            AdminAction(
                self._ids.new_id(),
                admin=request.admin,
                action=AdminActionKind.READ_LOGIN_AUDIT,
                user_id=wanted.user_id,
                session_id=None,
                outcome=AdminActionOutcome.DONE,
                detail=_describe(wanted, len(page)),
                occurred_at=self._clock.now(),
            )
        )
        await self._transaction.commit()
        last = page[-1] if more else None
        return LoginAuditPage(
            rows=page,
            next=LoginAuditCursor(last.occurred_at, last.id) if last is not None else None,
        )


def _describe(wanted: LoginAuditFilter, rows: int) -> str:
    """The filter and the number of rows shown, as the record's detail."""
    parts = [f"result={wanted.result}"] if wanted.result else []
    parts += [f"since={wanted.since.isoformat()}"] if wanted.since else []
    parts += [f"until={wanted.until.isoformat()}"] if wanted.until else []
    parts += [f"after={wanted.after.occurred_at.isoformat()}"] if wanted.after else []
    return " ".join([*parts, f"rows={rows}"])
