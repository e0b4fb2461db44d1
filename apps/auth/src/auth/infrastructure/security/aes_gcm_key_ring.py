"""AES-GCM encryption at rest with a key ring, so the key can rotate.

Every value is sealed with the current key and stored with that key's id; any key of
the ring opens what it sealed. Rotating: add a new key to the ring, make it current
(new writes use it), keep the old one until no stored value names its id.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12  # 96-bit nonces, random per value (NIST SP 800-38D)
KEY_BYTES = 32  # AES-256
KEY_ID_MAX_LEN = 64


class UnreadableCiphertextError(ValueError):
    """The value names a key id the ring does not hold, or does not open with its key
    and associated data (altered, or moved to another row)."""


class AesGcmKeyRing:
    """Seals and opens short secrets. ``associated_data`` binds a value to where it is
    stored (a value copied to another row does not open there)."""

    def __init__(self, keys: Mapping[str, bytes], current_kid: str) -> None:
        """:raises ValueError: no key, the current kid is not in the ring, a kid is empty
        or too long, or a key is not 32 bytes."""
        if current_kid not in keys:
            raise ValueError(f"the current key id {current_kid!r} is not in the key ring")
        for kid, key in keys.items():
            if not 0 < len(kid) <= KEY_ID_MAX_LEN:
                raise ValueError(f"a key id has 1 to {KEY_ID_MAX_LEN} characters: {kid!r}")
            if len(key) != KEY_BYTES:
                raise ValueError(f"key {kid!r} must be {KEY_BYTES} bytes (AES-256)")
        self._ciphers = {kid: AESGCM(key) for kid, key in keys.items()}
        self._current = current_kid

    @classmethod
    def from_base64(cls, keys: Mapping[str, str], current_kid: str) -> AesGcmKeyRing:
        """The ring of ``{kid: base64 key}`` (standard or URL-safe alphabet).

        :raises ValueError: a key is not base64, or as in the constructor."""
        decoded: dict[str, bytes] = {}
        for kid, text in keys.items():
            try:
                decoded[kid] = base64.b64decode(
                    text.replace("-", "+").replace("_", "/"), validate=True
                )
            except (binascii.Error, ValueError) as error:
                raise ValueError(f"key {kid!r} is not base64") from error
        return cls(decoded, current_kid)

    @property
    def current_kid(self) -> str:
        return self._current

    def seal(self, plaintext: str, associated_data: bytes) -> tuple[str, bytes]:
        """``(kid, nonce + ciphertext + tag)`` of ``plaintext`` under the current key."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self._current].encrypt(nonce, plaintext.encode(), associated_data)
        return self._current, nonce + sealed

    def open(self, kid: str, blob: bytes, associated_data: bytes) -> str:
        """:raises UnreadableCiphertextError: unknown kid, or the value does not open."""
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise UnreadableCiphertextError(f"key id {kid!r} is not in the key ring")
        try:
            plain = cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated_data)
        except InvalidTag as error:
            raise UnreadableCiphertextError("the value does not open with its key") from error
        return plain.decode()
