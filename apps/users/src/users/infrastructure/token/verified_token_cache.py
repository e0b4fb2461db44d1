"""Users' verified-token cache: access tokens whose signature and static claims
already verified, so a token presented again skips the signature check and JSON
decoding.

An entry keeps what cannot change (user, session, id, provider, sign-in time, the key
id that verified it) and the times; the verifier checks the times again on every hit and
drops a key id's entries once that key is no longer published. The LRU mechanics
(bounded, keyed by SHA-256, entries the garbage collector does not track) are
`kernel.verified_token_lru`, shared with auth's cache for `/validate`.
"""

from __future__ import annotations

from typing import NamedTuple

from kernel.verified_token_lru import VerifiedTokenLru

_Entry = tuple[str | None, int, str, str, str, int, int | None, int | None, int | None]


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


class VerifiedTokenCache(VerifiedTokenLru[_Entry, VerifiedToken]):
    """Stores a `VerifiedToken` as the plain tuple of its fields (a named tuple the
    garbage collector would keep tracking)."""

    def put(self, token: str, verified: VerifiedToken) -> None:
        self._store(token, verified[:])  # a slice of a named tuple is a plain tuple

    def _decode(self, entry: _Entry) -> VerifiedToken:
        return tuple.__new__(VerifiedToken, entry)  # `_make` without its length check
