"""Ed25519 signing keys: loaded from PEM files or PEM text, published as a JWKS.

Every ``*.pem`` in the key directory is one key; its file stem is its ``kid``. A
private key can sign and is published; a public key is only published (a key being
retired or not yet in use). Exactly one private key signs: the one named by the
signing kid, or the only private key loaded.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from auth.infrastructure.security.jws import b64url

logger = logging.getLogger(__name__)

_PEM_BLOCK_END = "-----END "


class SigningKeyError(RuntimeError):
    """The configured keys cannot be used; the service must not start."""


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def thumbprint(key: Ed25519PublicKey) -> str:
    """RFC 7638 JWK thumbprint (SHA-256) of an Ed25519 public key."""
    canonical = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": b64url(_raw_public(key))},
        separators=(",", ":"),
        sort_keys=True,
    )
    return b64url(hashlib.sha256(canonical.encode()).digest())


@dataclass(frozen=True)
class KeySet:
    """The signing key and every published public key, by kid."""

    signing_kid: str
    signing_key: Ed25519PrivateKey = field(repr=False)
    public_keys: Mapping[str, Ed25519PublicKey]

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The JWKS document: every public key, signing key first."""
        ordered = sorted(self.public_keys, key=lambda kid: kid != self.signing_kid)
        return {
            "keys": [
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": b64url(_raw_public(self.public_keys[kid])),
                    "kid": kid,
                    "use": "sig",
                    "alg": "EdDSA",
                }
                for kid in ordered
            ]
        }


def _load_private(pem: bytes, origin: str) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise SigningKeyError(f"{origin}: not an unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{origin}: only Ed25519 keys are supported")
    return key


def _load_public(pem: bytes, origin: str) -> Ed25519PublicKey:
    try:
        key = load_pem_public_key(pem)
    except ValueError as exc:
        raise SigningKeyError(f"{origin}: not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{origin}: only Ed25519 keys are supported")
    return key


def _split_pem_blocks(text: str) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []
    for line in text.strip().splitlines():
        current.append(line)
        if line.startswith(_PEM_BLOCK_END):
            blocks.append("\n".join(current) + "\n")
            current = []
    return blocks


def load_key_set(
    *,
    keys_dir: Path | None,
    signing_kid: str | None,
    signing_key_pem: str | None,
    public_keys_pem: str | None,
    allow_ephemeral: bool,
) -> KeySet:
    """Load the configured keys.

    :raises SigningKeyError: unreadable keys, no signing key (unless `allow_ephemeral`),
        or several private keys and no `signing_kid` to choose.
    """
    private: dict[str, Ed25519PrivateKey] = {}
    public: dict[str, Ed25519PublicKey] = {}
    if keys_dir is not None:
        if not keys_dir.is_dir():
            raise SigningKeyError(f"key directory {keys_dir} does not exist")
        for path in sorted(keys_dir.glob("*.pem")):
            pem = path.read_bytes()
            if b"PRIVATE KEY" in pem:
                private[path.stem] = _load_private(pem, str(path))
            else:
                public[path.stem] = _load_public(pem, str(path))
    if signing_key_pem:
        private[signing_kid or "env"] = _load_private(signing_key_pem.encode(), "signing_key_pem")
    for block in _split_pem_blocks(public_keys_pem or ""):
        key = _load_public(block.encode(), "public_keys_pem")
        public.setdefault(thumbprint(key), key)
    for kid, private_key in private.items():
        public[kid] = private_key.public_key()

    if signing_kid is not None and signing_kid in private:
        kid = signing_kid
    elif signing_kid is not None:
        raise SigningKeyError(f"no private key with kid {signing_kid!r} is configured")
    elif len(private) == 1:
        kid = next(iter(private))
    elif private:
        raise SigningKeyError("several private keys are configured; set the signing kid")
    elif allow_ephemeral:
        ephemeral = Ed25519PrivateKey.generate()
        kid = "ephemeral-" + thumbprint(ephemeral.public_key())[:16]
        private[kid] = ephemeral
        public[kid] = ephemeral.public_key()
        logger.warning(
            "no signing key configured: generated an ephemeral one (tokens die with this process)",
            extra={"kid": kid},
        )
    else:
        raise SigningKeyError("no signing key configured (AUTH_TOKEN__KEYS_DIR or SIGNING_KEY_PEM)")
    return KeySet(signing_kid=kid, signing_key=private[kid], public_keys=public)
