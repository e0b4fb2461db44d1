"""`keys.json`: the states of a key directory's keys, next to one `<kid>.pem` each.

    {"keys": [{"kid": "20260301-3q2-7wQf9Ab1cD2e", "state": "current",
               "created_at": "2026-03-01T10:15:00.123456+00:00",
               "promoted_at": "2026-03-01T10:25:00.654321+00:00"}, ...]}

Keys are listed oldest first; `promoted_at` and `retired_at` appear once they
happened. A directory without this file holds keys without states (`*.pem` only).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from auth.domain.signing_key.exceptions import InvalidSigningKeyError
from auth.domain.signing_key.key_rotation import KeyRotation
from auth.domain.signing_key.key_state import KeyState
from auth.domain.signing_key.signing_key_entry import SigningKeyEntry

MANIFEST_NAME = "keys.json"
_TIMES = ("created_at", "promoted_at", "retired_at")


def parse_manifest(raw: bytes) -> KeyRotation:
    """The rotation a manifest records.

    :raises InvalidSigningKeyError: not a manifest, or a record breaking its rules.
    """
    try:
        document = json.loads(raw)
        records = document["keys"]
        if not isinstance(records, list):
            raise TypeError("keys is not a list")
        return KeyRotation(tuple(_entry(record) for record in records))
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidSigningKeyError(f"{MANIFEST_NAME} is not a key manifest: {exc!r}") from exc


def render_manifest(rotation: KeyRotation) -> bytes:
    """The manifest of `rotation`, indented for people who read it."""
    records = []
    for key in rotation.keys:
        record: dict[str, str] = {"kid": key.kid, "state": key.state.value}
        for name in _TIMES:
            instant: datetime | None = getattr(key, name)
            if instant is not None:
                record[name] = instant.isoformat()
        records.append(record)
    return (json.dumps({"keys": records}, indent=2) + "\n").encode()


def _entry(record: Any) -> SigningKeyEntry:
    if not isinstance(record, dict):
        raise TypeError("a key record is not an object")
    times = {name: _instant(record.get(name)) for name in _TIMES}
    created_at = times.pop("created_at")
    if created_at is None:
        raise KeyError("created_at")
    return SigningKeyEntry(
        kid=str(record["kid"]), state=KeyState(record["state"]), created_at=created_at, **times
    )


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("a time is not an ISO 8601 string")
    return datetime.fromisoformat(value)
