"""Ed25519 signatures through libsodium (PyNaCl) on keys `cryptography` loaded.

`cryptography` reads and writes the keys (PEM files, the JWKS); these sign and verify
on the hot paths (`/validate` verifies every token it has not seen, `/refresh` verifies
one and signs two). On the 2-core bench machine libsodium verifies in 38 us against
OpenSSL's 61 us and signs in 15 us against 19 us (`bench/README.md`, "Ed25519"). Both
follow RFC 8032; libsodium also refuses non-canonical encodings and small-order keys,
which no key or token of ours has.

Each mirrors the one method `jws` calls on `cryptography`'s key (`sign`, `verify`,
raising `InvalidSignature`), so `jws` takes either.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from nacl.bindings import crypto_sign, crypto_sign_open, crypto_sign_seed_keypair
from nacl.exceptions import BadSignatureError

SIGNATURE_LENGTH = 64


class SodiumSigner:
    """Signs with one private key (libsodium's 64-byte secret: seed and public key)."""

    __slots__ = ("_secret",)

    def __init__(self, key: Ed25519PrivateKey) -> None:
        seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        _, self._secret = crypto_sign_seed_keypair(seed)

    def sign(self, data: bytes) -> bytes:
        """The 64-byte signature of `data`."""
        signed: bytes = crypto_sign(data, self._secret)  # the signature, then `data`
        return signed[:SIGNATURE_LENGTH]


class SodiumVerifier:
    """Checks signatures of one public key."""

    __slots__ = ("_public",)

    def __init__(self, key: Ed25519PublicKey) -> None:
        self._public = key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    def verify(self, signature: bytes, data: bytes) -> None:
        """Returns if `signature` is this key's over `data`.

        :raises InvalidSignature: it is not (as `cryptography`'s keys raise).
        """
        if len(signature) != SIGNATURE_LENGTH:
            raise InvalidSignature
        try:
            crypto_sign_open(signature + data, self._public)
        except BadSignatureError:
            raise InvalidSignature from None
