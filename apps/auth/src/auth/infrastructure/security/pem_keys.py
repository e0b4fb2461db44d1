"""Ed25519 keys in PEM: what a key file holds, and how one is written."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)


class PemKeyError(ValueError):
    """The bytes are not an unencrypted Ed25519 key in PEM."""


def read_pem_key(pem: bytes) -> Ed25519PrivateKey | Ed25519PublicKey:
    """The private key a PEM holds (PKCS#8), or else its public key (SubjectPublicKeyInfo).

    :raises PemKeyError: neither, encrypted, or not Ed25519.
    """
    try:
        key = (
            load_pem_private_key(pem, password=None)
            if b"PRIVATE KEY" in pem
            else load_pem_public_key(pem)
        )
    except (ValueError, TypeError) as exc:
        raise PemKeyError("not an unencrypted PEM private or public key") from exc
    if not isinstance(key, Ed25519PrivateKey | Ed25519PublicKey):
        raise PemKeyError("only Ed25519 keys are supported")
    return key


def private_pem(key: Ed25519PrivateKey) -> bytes:
    """PKCS#8 PEM, unencrypted (the file's permissions and the Secret protect it)."""
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def public_pem(key: Ed25519PublicKey) -> bytes:
    """SubjectPublicKeyInfo PEM."""
    return key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
