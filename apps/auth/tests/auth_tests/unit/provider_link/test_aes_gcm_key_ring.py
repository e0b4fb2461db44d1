"""The AES-GCM key ring: what one key seals any ring holding it opens, new values use
the current key, and a value opens only with its key and its associated data."""

from __future__ import annotations

import base64
import os

import pytest

from auth.infrastructure.security.aes_gcm_key_ring import (
    AesGcmKeyRing,
    UnreadableCiphertextError,
)

OLD, NEW = os.urandom(32), os.urandom(32)
WHERE = b"google\x1fsub-1\x1fuser-1"


def test_a_sealed_value_opens_with_its_key_and_data_and_is_not_the_plaintext() -> None:
    ring = AesGcmKeyRing({"k1": OLD}, "k1")
    kid, sealed = ring.seal("refresh-token-1", WHERE)
    assert kid == "k1"
    assert b"refresh-token-1" not in sealed
    assert ring.open(kid, sealed, WHERE) == "refresh-token-1"
    # A fresh nonce per value: the same plaintext never seals the same way twice.
    assert ring.seal("refresh-token-1", WHERE)[1] != sealed


def test_rotation_new_values_use_the_current_key_and_old_ones_still_open() -> None:
    before = AesGcmKeyRing({"k1": OLD}, "k1")
    old_kid, old_sealed = before.seal("old-token", WHERE)
    rotated = AesGcmKeyRing({"k1": OLD, "k2": NEW}, "k2")
    new_kid, new_sealed = rotated.seal("new-token", WHERE)
    assert (old_kid, new_kid) == ("k1", "k2")
    assert rotated.open(old_kid, old_sealed, WHERE) == "old-token"
    assert rotated.open(new_kid, new_sealed, WHERE) == "new-token"
    with pytest.raises(UnreadableCiphertextError, match="'k2' is not in the key ring"):
        before.open(new_kid, new_sealed, WHERE)


def test_a_value_moved_to_another_row_or_altered_does_not_open() -> None:
    ring = AesGcmKeyRing({"k1": OLD}, "k1")
    kid, sealed = ring.seal("token", WHERE)
    with pytest.raises(UnreadableCiphertextError):
        ring.open(kid, sealed, b"google\x1fsub-2\x1fuser-1")
    altered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(UnreadableCiphertextError):
        ring.open(kid, altered, WHERE)
    with pytest.raises(UnreadableCiphertextError):
        AesGcmKeyRing({"k1": NEW}, "k1").open(kid, sealed, WHERE)  # same kid, other key


def test_keys_come_as_base64_in_either_alphabet() -> None:
    standard = base64.b64encode(OLD).decode()
    urlsafe = base64.urlsafe_b64encode(NEW).decode()
    ring = AesGcmKeyRing.from_base64({"a": standard, "b": urlsafe}, "b")
    assert ring.current_kid == "b"
    assert ring.open(*ring.seal("x", WHERE), WHERE) == "x"


@pytest.mark.parametrize(
    ("keys", "current", "message"),
    [
        ({"k1": base64.b64encode(OLD).decode()}, "k2", "current key id 'k2'"),
        ({"k1": base64.b64encode(os.urandom(16)).decode()}, "k1", "must be 32 bytes"),
        ({"k1": "not base64!"}, "k1", "not base64"),
        ({"x" * 65: base64.b64encode(OLD).decode()}, "x" * 65, "1 to 64 characters"),
    ],
    ids=["current not in ring", "short key", "not base64", "kid too long"],
)
def test_a_bad_ring_is_refused(keys: dict[str, str], current: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AesGcmKeyRing.from_base64(keys, current)
