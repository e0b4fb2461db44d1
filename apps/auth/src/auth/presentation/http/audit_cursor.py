"""The login audit's page cursor as an opaque query parameter (base64url of time and id)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from uuid import UUID

from auth.application.audit.dto.login_audit_filter import LoginAuditCursor
from kernel.errors import ValidationError


class CursorInvalidError(ValidationError):
    code = "CURSOR_INVALID"
    default_detail = "The cursor is not one this API returned."


def encode_cursor(cursor: LoginAuditCursor) -> str:
    raw = f"{cursor.occurred_at.isoformat()}|{cursor.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str) -> LoginAuditCursor:
    """:raises CursorInvalidError: not a cursor ``encode_cursor`` made."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        moment, _, identifier = raw.partition("|")
        occurred_at = datetime.fromisoformat(moment)
        if occurred_at.tzinfo is None:
            raise ValueError("a cursor's time has a zone")
        return LoginAuditCursor(occurred_at=occurred_at, id=UUID(identifier))
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise CursorInvalidError from error
