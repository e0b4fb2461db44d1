from __future__ import annotations

import time

import pytest

from kernel.ids import Uuid7Generator, random_token, uuid7


def test_uuid7_has_version_7_and_rfc_variant() -> None:
    value = uuid7()
    assert value.version == 7
    assert value.variant == "specified in RFC 4122"


def test_uuid7_carries_its_millisecond_timestamp() -> None:
    ms = 1_700_000_000_123
    assert uuid7(ms).int >> 80 == ms


def test_uuid7_sorts_by_time() -> None:
    earlier, later = uuid7(1_000), uuid7(2_000)
    assert earlier < later
    now_ms = int(time.time() * 1000)
    assert abs((uuid7().int >> 80) - now_ms) < 5_000


def test_uuid7_is_unique() -> None:
    assert len({uuid7(42) for _ in range(10_000)}) == 10_000


def test_uuid7_rejects_out_of_range_timestamps() -> None:
    with pytest.raises(ValueError, match="out of range"):
        uuid7(-1)
    with pytest.raises(ValueError, match="out of range"):
        uuid7(1 << 48)


def test_generator_yields_distinct_uuid7s() -> None:
    generator = Uuid7Generator()
    first, second = generator.new_id(), generator.new_id()
    assert first != second
    assert first.version == second.version == 7


def test_random_tokens_are_urlsafe_unique_and_long_enough() -> None:
    tokens = {random_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(
        len(t) >= 43
        and set(t) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for t in tokens
    )
    with pytest.raises(ValueError, match="at least 16 bytes"):
        random_token(8)
