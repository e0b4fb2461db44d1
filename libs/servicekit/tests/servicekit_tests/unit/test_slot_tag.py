"""`slot_tag`: a hash tag that puts a key on the slot of another (users' outbox markers
on the slot of the event stream they guard)."""

from __future__ import annotations

import pytest
from redis.crc import key_slot

from servicekit.redis_cluster import slot_tag


@pytest.mark.parametrize(
    ("key", "tag"),
    [
        ("eco2:events:users", "{eco2:events:users}"),  # no tag: the whole name is hashed
        ("{eco2}:events:users", "{eco2}"),  # its own tag is what is hashed
        ("users:{t}:events", "{t}"),
        ("a{b", "{a{b}"),  # a brace that opens no tag
    ],
)
def test_a_key_with_the_tag_is_on_the_slot_of_the_key(key: str, tag: str) -> None:
    assert slot_tag(key) == tag
    for other in (f"users:outbox:published:{tag}:1", f"{tag}x", f"p:{tag}:{tag}"):
        assert key_slot(other.encode()) == key_slot(key.encode())


@pytest.mark.parametrize("key", ["{}events", "a}b"])
def test_a_key_no_tag_can_follow_is_refused(key: str) -> None:
    """`{}` hashes the whole key, and `{a}b}` would hash `a`: no tag carries either."""
    with pytest.raises(ValueError, match="braces"):
        slot_tag(key)
