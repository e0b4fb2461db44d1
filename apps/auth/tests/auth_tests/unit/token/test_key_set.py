"""Key loading and the JWKS: a token verifies with a standard JOSE library and the JWKS alone."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth.infrastructure.security.key_set import SigningKeyError, load_key_set
from kernel.clock import SystemClock


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def load(**overrides: object):  # type: ignore[no-untyped-def]
    params: dict[str, object] = {
        "keys_dir": None,
        "signing_kid": None,
        "signing_key_pem": None,
        "public_keys_pem": None,
        "allow_ephemeral": False,
        **overrides,
    }
    return load_key_set(**params)  # type: ignore[arg-type]


def test_directory_keys_publish_all_and_sign_with_the_chosen_one(tmp_path: Path) -> None:
    current, next_, retired = (Ed25519PrivateKey.generate() for _ in range(3))
    (tmp_path / "k-2026-01.pem").write_bytes(private_pem(current))
    (tmp_path / "k-2026-02.pem").write_bytes(private_pem(next_))
    (tmp_path / "k-2025-12.pem").write_bytes(public_pem(retired))
    keys = load(keys_dir=tmp_path, signing_kid="k-2026-01")
    assert keys.signing_kid == "k-2026-01"
    assert [k["kid"] for k in keys.jwks()["keys"]] == ["k-2026-01", "k-2025-12", "k-2026-02"]


def test_single_private_key_signs_without_a_kid_setting(tmp_path: Path) -> None:
    (tmp_path / "only.pem").write_bytes(private_pem(Ed25519PrivateKey.generate()))
    assert load(keys_dir=tmp_path).signing_kid == "only"


def test_several_private_keys_need_a_signing_kid(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.pem").write_bytes(private_pem(Ed25519PrivateKey.generate()))
    with pytest.raises(SigningKeyError, match="signing kid"):
        load(keys_dir=tmp_path)


def test_unknown_signing_kid_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.pem").write_bytes(private_pem(Ed25519PrivateKey.generate()))
    with pytest.raises(SigningKeyError, match="'zzz'"):
        load(keys_dir=tmp_path, signing_kid="zzz")


def test_env_pem_signs_and_extra_public_pems_are_published() -> None:
    signer, old = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    keys = load(
        signing_key_pem=private_pem(signer).decode(),
        signing_kid="env-1",
        public_keys_pem=public_pem(old).decode(),
    )
    assert keys.signing_kid == "env-1"
    assert len(keys.jwks()["keys"]) == 2


def test_non_ed25519_keys_are_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "ec.pem").write_bytes(
        key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    )
    with pytest.raises(SigningKeyError, match="Ed25519"):
        load(keys_dir=tmp_path)


def test_no_key_outside_local_refuses_to_start() -> None:
    with pytest.raises(SigningKeyError, match="no signing key"):
        load()


def test_no_key_in_local_generates_one_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        keys = load(allow_ephemeral=True)
    assert keys.signing_kid.startswith("ephemeral-")
    assert any(
        "ephemeral" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records
    )


def test_token_verifies_with_pyjwt_using_only_the_jwks(tmp_path: Path) -> None:
    (tmp_path / "k1.pem").write_bytes(private_pem(Ed25519PrivateKey.generate()))
    (tmp_path / "k0.pem").write_bytes(public_pem(Ed25519PrivateKey.generate()))
    keys = load(keys_dir=tmp_path, signing_kid="k1")
    issuer = Ed25519TokenIssuer(
        keys,
        issuer="eco2-auth",
        audience="eco2-api",
        access_ttl=timedelta(minutes=15),
        refresh_ttl=timedelta(days=14),
        clock=SystemClock(),
    )
    user = uuid.uuid4()
    pair = issuer.issue_pair(
        user_id=user, provider="google", session_id="s1", now=SystemClock().now()
    )

    # What a relying party does: parse the published JWKS, pick the key by kid, verify.
    jwk_set = jwt.PyJWKSet.from_dict(keys.jwks())
    kid = jwt.get_unverified_header(pair.access_token)["kid"]
    signing = next(k for k in jwk_set.keys if k.key_id == kid)
    claims = jwt.decode(
        pair.access_token,
        signing,
        algorithms=["EdDSA"],
        audience="eco2-api",
        issuer="eco2-auth",
    )
    assert (claims["sub"], claims["sid"], claims["token_type"]) == (str(user), "s1", "access")
    assert {k.key_id for k in jwk_set.keys} == {"k0", "k1"}
