"""An LRU of access tokens whose signature and static claims already verified, so a
token presented again skips the signature check and JSON decoding.

An access token is sent with every API call of its short life, and verifying it
(signature, decoding) costs more than the rest of a read. The key is the SHA-256 of
the whole token, so only the exact bytes that verified hit. An entry keeps what
cannot change (user, session, id, provider, sign-in time, the key id that verified it)
and the times; the times are checked again on every hit, and the verifier drops a key id's
entries once that key is no longer published. Auth keeps a cache of its own for
/validate (`auth.infrastructure.security.verified_token_cache`); apps do not import
each other, and the two hold different claims.

Entries are stored as plain tuples of strings and ints, which the garbage collector
stops tracking (a named tuple it would keep tracking), so a full cache adds nothing
to collection pauses.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import NamedTuple


class VerifiedToken(NamedTuple):
    """What verification established about one token."""

    kid: str | None
    user_id: int
    session_id: str
    jti: str
    provider: str
    expires_at: int
    not_before: int | None
    issued_at: int | None
    auth_time: int | None = None


class VerifiedTokenCache:
    """Bounded to ``capacity`` entries, least recently used first out; confined to
    the event loop (no locking)."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be positive")
        self._capacity = capacity
        self._entries: OrderedDict[bytes, tuple[str | int | None, ...]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def _key(token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()

    def get(self, token: str) -> VerifiedToken | None:
        """What was verified for exactly this token, or None."""
        key = self._key(token)
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return VerifiedToken._make(entry)

    def put(self, token: str, verified: VerifiedToken) -> None:
        self._entries[self._key(token)] = tuple(verified)
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)

    def drop_key(self, kid: str | None) -> None:
        """Forget every token the key ``kid`` verified (it is no longer published)."""
        for key in [key for key, entry in self._entries.items() if entry[0] == kid]:
            del self._entries[key]
