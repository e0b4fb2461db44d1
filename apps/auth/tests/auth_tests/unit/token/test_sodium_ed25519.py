"""libsodium's Ed25519 keys agree with `cryptography`'s, both ways, and refuse what it refuses."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from auth.infrastructure.security import jws
from auth.infrastructure.security.sodium_ed25519 import SodiumSigner, SodiumVerifier

MESSAGE = b"eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0"


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_the_signature_is_the_one_openssl_makes(key: Ed25519PrivateKey) -> None:
    # Ed25519 is deterministic (RFC 8032): one key and one message make one signature.
    assert SodiumSigner(key).sign(MESSAGE) == key.sign(MESSAGE)


def test_each_verifies_the_others_signature(key: Ed25519PrivateKey) -> None:
    SodiumVerifier(key.public_key()).verify(key.sign(MESSAGE), MESSAGE)
    key.public_key().verify(SodiumSigner(key).sign(MESSAGE), MESSAGE)


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        (lambda s: s[:-1] + bytes([s[-1] ^ 1]), MESSAGE),
        (lambda s: s, MESSAGE + b"x"),
        (lambda s: s[:63], MESSAGE),
        (lambda s: s + b"\0", MESSAGE),
        (lambda s: bytes(64), MESSAGE),
    ],
    ids=["altered-signature", "altered-message", "short", "long", "zeros"],
)
def test_a_wrong_signature_raises_invalid_signature(
    key: Ed25519PrivateKey, signature, message: bytes
) -> None:
    with pytest.raises(InvalidSignature):
        SodiumVerifier(key.public_key()).verify(signature(key.sign(MESSAGE)), message)


def test_another_keys_signature_is_refused(key: Ed25519PrivateKey) -> None:
    other = Ed25519PrivateKey.generate()
    with pytest.raises(InvalidSignature):
        SodiumVerifier(key.public_key()).verify(other.sign(MESSAGE), MESSAGE)


def test_jws_takes_either_kind_of_key(key: Ed25519PrivateKey) -> None:
    by_sodium = jws.sign({"a": 1}, SodiumSigner(key), kid="k", typ="at+jwt")
    by_openssl = jws.sign({"a": 1}, key, kid="k", typ="at+jwt")
    assert by_sodium == by_openssl
    assert jws.verify(by_openssl, SodiumVerifier(key.public_key())) == {"a": 1}
    assert jws.verify(by_sodium, key.public_key()) == {"a": 1}
