"""An LRU of tokens already verified, so a token presented again skips the signature
check: the mechanics auth's `/validate` and users' access-token check share.

An access token is presented with every API call of its short life, and verifying it
costs more than the rest of a decision. The key is the SHA-256 of the whole token,
so only the exact bytes that verified hit. Each service stores what verification
established as an entry: a plain tuple (not a named tuple or any other subclass) of
strings, ints and None, whose first item is the id of the key that verified the
token. The garbage collector stops tracking such tuples, so a full cache adds nothing
to collection pauses; and a key that is no longer published takes its tokens along
(`drop_key`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import OrderedDict
from hashlib import sha256
from typing import Any, Generic, TypeVar

EntryT = TypeVar("EntryT", bound=tuple[Any, ...])
VerifiedT = TypeVar("VerifiedT")


class VerifiedTokenLru(ABC, Generic[EntryT, VerifiedT]):
    """Bounded to ``capacity`` entries, least recently used first out; confined to
    the event loop (no locking). A subclass stores entries with `_store` and says
    what one stands for with `_decode`; a hit costs one hash, one lookup and that."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be positive")
        self._capacity = capacity
        self._entries: OrderedDict[bytes, EntryT] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str) -> VerifiedT | None:
        """What was verified for exactly this token, or None."""
        key = sha256(token.encode()).digest()
        entries = self._entries
        entry = entries.get(key)
        if entry is None:
            return None
        entries.move_to_end(key)
        return self._decode(entry)

    def drop_key(self, kid: str | None) -> None:
        """Forget every token the key ``kid`` verified (it is no longer published)."""
        entries = self._entries
        for key in [key for key, entry in entries.items() if entry[0] == kid]:
            del entries[key]

    @abstractmethod
    def _decode(self, entry: EntryT) -> VerifiedT:
        """What the entry stands for."""

    def _store(self, token: str, entry: EntryT) -> None:
        """Remember ``entry`` for exactly this token, evicting the least recent one
        past capacity."""
        entries = self._entries
        entries[sha256(token.encode()).digest()] = entry
        if len(entries) > self._capacity:
            entries.popitem(last=False)
