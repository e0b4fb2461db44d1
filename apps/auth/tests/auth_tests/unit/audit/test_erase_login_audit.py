"""EraseLoginAuditInteractor: clears the purged user's client details, then commits."""

from __future__ import annotations

import uuid

import pytest

from auth.application.audit.commands.erase_login_audit import EraseLoginAuditInteractor
from auth.application.audit.dto.erase_login_audit import EraseLoginAuditRequest

USER = uuid.UUID("0190f000-0000-7000-8000-0000000000e1")


class Rows:
    """LoginAuditEraser and TransactionManager over a dict user -> rows with details."""

    def __init__(self) -> None:
        self.with_details = {USER: 3}
        self.staged: dict[uuid.UUID, int] = {}
        self.commits = 0
        self.fail_commit = False

    async def erase_client_details(self, user_id: uuid.UUID) -> int:
        cleared = self.with_details.get(user_id, 0)
        self.staged[user_id] = 0
        return cleared

    async def commit(self) -> None:
        if self.fail_commit:
            raise ConnectionError("database down")
        self.with_details.update(self.staged)
        self.commits += 1


async def test_the_erasure_is_committed_and_idempotent() -> None:
    rows = Rows()
    interactor = EraseLoginAuditInteractor(rows, rows)
    assert await interactor.execute(EraseLoginAuditRequest(USER)) == 3
    assert await interactor.execute(EraseLoginAuditRequest(USER)) == 0
    assert rows.with_details[USER] == 0
    assert rows.commits == 2


async def test_a_failed_commit_erases_nothing_and_raises_for_a_retry() -> None:
    rows = Rows()
    rows.fail_commit = True
    with pytest.raises(ConnectionError):
        await EraseLoginAuditInteractor(rows, rows).execute(EraseLoginAuditRequest(USER))
    assert rows.with_details[USER] == 3
