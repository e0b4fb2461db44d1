"""The key directory as files: `keys.json` (states) and one `<kid>.pem` per key."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from auth.application.signing_key.ports.key_directory import KeyDirectory
from auth.domain.signing_key.exceptions import InvalidSigningKeyError
from auth.domain.signing_key.key_rotation import KeyRotation
from auth.domain.signing_key.key_state import KeyState
from auth.infrastructure.security.key_manifest import (
    MANIFEST_NAME,
    parse_manifest,
    render_manifest,
)
from auth.infrastructure.security.key_set import thumbprint
from auth.infrastructure.security.pem_keys import (
    PemKeyError,
    private_pem,
    public_pem,
    read_pem_key,
)

_StoredKey = Ed25519PrivateKey | Ed25519PublicKey


class FileKeyDirectory(KeyDirectory):
    """A local directory: the working copy an operator edits and then applies as the
    Secret auth mounts (or, locally, the directory auth reads).

    Every key of a rotation must have its file, and a next or current key its
    private key (checked by `load` and before `save` writes anything). Each file is
    replaced whole (written aside, then renamed over), in an order that leaves the
    directory loadable after every step: new key files (`create_key`), the manifest,
    retired keys reduced to their public key, removed keys' files deleted. Private
    key files are readable by their owner only. Without a manifest, the private key
    `signing_kid` names (or the only one) is taken as current when adopting.
    """

    def __init__(self, path: Path, *, signing_kid: str | None = None) -> None:
        self._path = path
        self._signing_kid = signing_kid

    def load(self, now: datetime) -> KeyRotation:
        if not self._path.is_dir():
            raise InvalidSigningKeyError(f"key directory {self._path} does not exist")
        manifest = self._path / MANIFEST_NAME
        if manifest.exists():
            rotation = parse_manifest(manifest.read_bytes())
            self._stored_keys(rotation)
            return rotation
        private: list[str] = []
        public: list[str] = []
        for path in sorted(self._path.glob("*.pem")):
            is_private = isinstance(self._read_key(path.stem), Ed25519PrivateKey)
            (private if is_private else public).append(path.stem)
        if not private and not public:
            return KeyRotation()
        signing = self._signing_kid or (private[0] if len(private) == 1 else None)
        if signing is None or signing not in private:
            raise InvalidSigningKeyError(
                f"{self._path} holds {len(private)} private keys and no {MANIFEST_NAME}: "
                "name the signing one with AUTH_TOKEN__SIGNING_KID"
            )
        return KeyRotation.adopt(signing=signing, private=private, public=public, now=now)

    def create_key(self, now: datetime) -> str:
        key = Ed25519PrivateKey.generate()
        kid = f"{now.astimezone(UTC):%Y%m%d}-{thumbprint(key.public_key())[:16]}"
        self._write(f"{kid}.pem", private_pem(key), private=True)
        return kid

    def save(self, rotation: KeyRotation) -> None:
        stored = self._stored_keys(rotation)
        self._write(MANIFEST_NAME, render_manifest(rotation), private=False)
        for key in rotation.keys:
            secret = stored[key.kid]
            if key.state is KeyState.RETIRED and isinstance(secret, Ed25519PrivateKey):
                self._write(f"{key.kid}.pem", public_pem(secret.public_key()), private=False)
        for path in self._path.glob("*.pem"):
            if path.stem not in stored:
                path.unlink()

    def _stored_keys(self, rotation: KeyRotation) -> dict[str, _StoredKey]:
        """Every key of `rotation` as its file holds it.

        :raises InvalidSigningKeyError: a file is missing or unusable, or a next or
            current key has lost its private key.
        """
        stored = {key.kid: self._read_key(key.kid) for key in rotation.keys}
        for key in rotation.keys:
            if key.state is not KeyState.RETIRED and not isinstance(
                stored[key.kid], Ed25519PrivateKey
            ):
                raise InvalidSigningKeyError(
                    f"{key.kid}.pem: a {key.state} key needs its private key"
                )
        return stored

    def _read_key(self, kid: str) -> _StoredKey:
        path = self._path / f"{kid}.pem"
        try:
            return read_pem_key(path.read_bytes())
        except (OSError, PemKeyError) as exc:
            raise InvalidSigningKeyError(f"{path}: {exc}") from exc

    def _write(self, name: str, content: bytes, *, private: bool) -> None:
        """Replace `name` whole: readers see the old file or the new one."""
        aside = self._path / f".{name}.tmp"
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
        with os.fdopen(fd, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(aside, self._path / name)
