"""Ed25519 signing keys: loaded from a key directory or PEM text, published as a JWKS.

A key directory holds one ``<kid>.pem`` per key. With a ``keys.json`` manifest
(`key_manifest`, written by ``auth keys``) each key has a state: the `current` key
signs, `next` and `retired` keys are published only, and files the manifest does not
name are ignored. Without one, every ``*.pem`` is a key: a private key can sign and
is published, a public key is only published, and exactly one private key signs
(the one named by the signing kid, or the only one).
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
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from auth.domain.signing_key.exceptions import InvalidSigningKeyError
from auth.domain.signing_key.key_state import KeyState
from auth.infrastructure.security.jws import b64url
from auth.infrastructure.security.key_manifest import MANIFEST_NAME, parse_manifest
from auth.infrastructure.security.pem_keys import PemKeyError, read_pem_key
from auth.infrastructure.security.sodium_ed25519 import SodiumSigner, SodiumVerifier

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
    """The signing key and every published public key, by kid; `signer` and
    `verifiers` are the same keys in libsodium's form, which the tokens use."""

    signing_kid: str
    signing_key: Ed25519PrivateKey = field(repr=False)
    public_keys: Mapping[str, Ed25519PublicKey]
    signer: SodiumSigner = field(init=False, repr=False, compare=False)
    verifiers: Mapping[str, SodiumVerifier] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "signer", SodiumSigner(self.signing_key))
        verifiers = {kid: SodiumVerifier(key) for kid, key in self.public_keys.items()}
        object.__setattr__(self, "verifiers", verifiers)

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
    key = _load(pem, origin)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{origin}: not a PEM private key")
    return key


def _load_public(pem: bytes, origin: str) -> Ed25519PublicKey:
    key = _load(pem, origin)
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{origin}: not a PEM public key")
    return key


def _load(pem: bytes, origin: str) -> Ed25519PrivateKey | Ed25519PublicKey:
    try:
        return read_pem_key(pem)
    except PemKeyError as exc:
        raise SigningKeyError(f"{origin}: {exc}") from exc


def _read(path: Path) -> bytes:
    """The file's bytes; a file that vanished (a Secret being updated) or cannot be
    read is a SigningKeyError like any other unusable key."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"{path}: {exc.strerror or exc}") from exc


def _read_manifest_keys(
    keys_dir: Path,
    private: dict[str, Ed25519PrivateKey],
    public: dict[str, Ed25519PublicKey],
) -> str | None:
    """Load the keys `keys.json` names into `private` (the current key) and `public`
    (the others); answer the current kid (None: the manifest holds no key)."""
    try:
        rotation = parse_manifest(_read(keys_dir / MANIFEST_NAME))
    except InvalidSigningKeyError as exc:
        raise SigningKeyError(f"{keys_dir / MANIFEST_NAME}: {exc.detail}") from exc
    for entry in rotation.keys:
        path = keys_dir / f"{entry.kid}.pem"
        pem = _read(path)
        if entry.state is KeyState.CURRENT:
            private[entry.kid] = _load_private(pem, str(path))
        else:
            key = _load(pem, str(path))
            public[entry.kid] = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return rotation.current.kid if rotation.keys else None


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
        several private keys and no `signing_kid` to choose, or a manifest in the key
        directory together with `signing_kid` or `signing_key_pem` (it names the
        signing key itself).
    """
    private: dict[str, Ed25519PrivateKey] = {}
    public: dict[str, Ed25519PublicKey] = {}
    if keys_dir is not None:
        if not keys_dir.is_dir():
            raise SigningKeyError(f"key directory {keys_dir} does not exist")
        if (keys_dir / MANIFEST_NAME).exists():
            if signing_kid is not None or signing_key_pem:
                raise SigningKeyError(
                    f"{keys_dir / MANIFEST_NAME} names the signing key: unset "
                    "AUTH_TOKEN__SIGNING_KID and AUTH_TOKEN__SIGNING_KEY_PEM"
                )
            signing_kid = _read_manifest_keys(keys_dir, private, public)
        else:
            for path in sorted(keys_dir.glob("*.pem")):
                key = _load(_read(path), str(path))
                if isinstance(key, Ed25519PrivateKey):
                    private[path.stem] = key
                else:
                    public[path.stem] = key
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
