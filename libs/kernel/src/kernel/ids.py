"""Identifier generation: time-ordered UUIDs (version 7) and opaque random tokens."""

from __future__ import annotations

import os
import secrets
import time
import uuid
from typing import Protocol


def uuid7(unix_ms: int | None = None) -> uuid.UUID:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then 74 random bits.

    Sorts by creation time, which keeps B-tree indexes compact.
    """
    ms = int(time.time() * 1000) if unix_ms is None else unix_ms
    if not 0 <= ms < 1 << 48:
        raise ValueError("timestamp out of range for UUIDv7")
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a = rand >> 62 & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = ms << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)


def random_token(nbytes: int = 32) -> str:
    """An unguessable URL-safe token (state values, PKCE verifiers, nonces)."""
    if nbytes < 16:
        raise ValueError("a token needs at least 16 bytes of entropy")
    return secrets.token_urlsafe(nbytes)


class IdGenerator(Protocol):
    """Port for new identifiers, so tests can make them predictable."""

    def new_id(self) -> uuid.UUID:
        """Return a new unique id."""
        ...


class Uuid7Generator(IdGenerator):
    """Time-ordered UUIDv7 ids."""

    def new_id(self) -> uuid.UUID:
        return uuid7()
