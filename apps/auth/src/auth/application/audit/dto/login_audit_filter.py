"""Which login audit rows a reader wants, and where a page of them ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class LoginAuditCursor:
    """Where a page ended: the last row's time and id (rows come newest first)."""

    occurred_at: datetime
    id: UUID


@dataclass(frozen=True, slots=True)
class LoginAuditFilter:
    """One user's rows, optionally of one ``result``, at or after ``since`` and before
    ``until``; ``after`` continues a previous page."""

    user_id: UUID
    result: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    after: LoginAuditCursor | None = None
