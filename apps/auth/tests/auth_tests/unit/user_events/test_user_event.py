"""Parsing a users' stream entry: a deletion request, a disable, a purge (and the legacy
`user.deleted`) ask for revoke-all, a purge also for the login audit's erasure, other
types for nothing; a malformed entry is poison (it goes to the dead-letter stream)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from auth.application.audit.dto.erase_login_audit import EraseLoginAuditRequest
from auth.application.token.dto.token import RevokeAllRequest
from auth.infrastructure.user_events.user_event import PoisonMessageError, parse_user_event

USER = uuid.UUID("0190f000-0000-7000-8000-0000000000e1")


def test_user_deleted_is_a_revoke_all_of_its_user() -> None:
    event = parse_user_event(
        {
            b"type": b"user.deleted",
            b"event_id": b"e1",
            b"user_id": str(USER).encode(),
            b"occurred_at": b"2026-11-29T12:00:00+09:00",
        }
    )
    assert event.event_type == "user.deleted"
    assert event.event_id == "e1"
    assert event.revoke_all == RevokeAllRequest(user_id=USER)
    assert event.occurred_at == datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


def test_an_instant_without_zone_is_utc_and_an_unreadable_one_is_ignored() -> None:
    fields = {b"type": b"user.deleted", b"user_id": str(USER).encode()}
    naive = parse_user_event({**fields, b"occurred_at": b"2026-11-29T12:00:00"})
    assert naive.occurred_at == datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    assert parse_user_event({**fields, b"occurred_at": b"yesterday"}).occurred_at is None
    assert parse_user_event(fields).occurred_at is None
    assert parse_user_event(fields).event_id is None


@pytest.mark.parametrize(
    ("event_type", "erases"),
    [
        ("user.deletion_requested", False),
        ("user.disabled", False),
        ("user.purged", True),
        ("user.deleted", False),
    ],
)
def test_lifecycle_events_revoke_and_a_purge_erases(event_type: str, erases: bool) -> None:
    event = parse_user_event(
        {
            b"type": event_type.encode(),
            b"user_id": str(USER).encode(),
            b"purge_after": b"2026-12-29T12:00:00+00:00",
            b"identities": b'[{"provider": "kakao", "provider_user_id": "1"}]',
        }
    )
    assert event.revoke_all == RevokeAllRequest(user_id=USER)
    assert event.erase_login_audit == (EraseLoginAuditRequest(user_id=USER) if erases else None)


def test_other_types_ask_for_nothing() -> None:
    event = parse_user_event({b"type": b"user.renamed", b"user_id": b"not even a uuid"})
    assert event.event_type == "user.renamed"
    assert event.revoke_all is None
    assert event.erase_login_audit is None


@pytest.mark.parametrize(
    "fields",
    [
        {b"user_id": str(USER).encode()},
        {b"type": b"user.deleted"},
        {b"type": b"user.deleted", b"user_id": b"not-a-uuid"},
        {b"type": b"user.deleted", b"user_id": b"\xff"},
        {b"type": b"user.purged", b"user_id": b"not-a-uuid"},
        {b"type": b"user.disabled"},
    ],
    ids=[
        "no type",
        "no user id",
        "malformed user id",
        "user id not UTF-8",
        "purge without user",
        "disable without user",
    ],
)
def test_a_malformed_entry_is_poison(fields: dict[bytes, bytes]) -> None:
    with pytest.raises(PoisonMessageError):
        parse_user_event(fields)
