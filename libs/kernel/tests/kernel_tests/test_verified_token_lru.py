"""The verified-token LRU both services' caches are built on."""

from __future__ import annotations

import gc

import pytest

from kernel.verified_token_lru import VerifiedTokenLru

Entry = tuple[str | None, str]


class SubjectCache(VerifiedTokenLru[Entry, str]):
    """A cache that remembers a token's subject, as the services' caches remember
    their claims."""

    def put(self, token: str, kid: str | None, subject: str) -> None:
        self._store(token, (kid, subject))

    def _decode(self, entry: Entry) -> str:
        return entry[1]


def test_bounded_the_least_recently_used_goes_first() -> None:
    cache = SubjectCache(capacity=2)
    cache.put("token-1", "k", "one")
    cache.put("token-2", "k", "two")
    assert cache.get("token-1") == "one"  # now the most recently used
    cache.put("token-3", "k", "three")
    assert len(cache) == 2
    assert cache.get("token-2") is None
    assert (cache.get("token-1"), cache.get("token-3")) == ("one", "three")


def test_putting_a_token_again_replaces_its_entry() -> None:
    cache = SubjectCache(capacity=2)
    cache.put("token", "k", "old")
    cache.put("token", "k", "new")
    assert len(cache) == 1
    assert cache.get("token") == "new"


def test_only_the_exact_token_hits() -> None:
    cache = SubjectCache(capacity=4)
    cache.put("header.claims.signature", "k", "subject")
    assert cache.get("header.claims.signaturf") is None
    assert cache.get("header.claims.signature ") is None


def test_dropping_a_key_forgets_only_the_tokens_it_verified() -> None:
    cache = SubjectCache(capacity=8)
    cache.put("a", "k1", "a")
    cache.put("b", "k2", "b")
    cache.put("c", "k1", "c")
    cache.put("d", None, "d")
    cache.drop_key("k1")
    assert (len(cache), cache.get("b"), cache.get("d")) == (2, "b", "d")
    cache.drop_key(None)
    assert (len(cache), cache.get("b")) == (1, "b")
    cache.drop_key("never-seen")
    assert len(cache) == 1


def test_entries_are_kept_as_given_so_the_collector_stops_tracking_them() -> None:
    cache = SubjectCache(capacity=4)
    cache.put("a", "k1", "".join(["sub", "ject"]))
    gc.collect()
    assert [gc.is_tracked(entry) for entry in cache._entries.values()] == [False]


def test_a_capacity_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        SubjectCache(capacity=0)
