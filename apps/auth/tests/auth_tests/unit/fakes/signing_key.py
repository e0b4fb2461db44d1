"""An in-memory key directory, with the rules of `FileKeyDirectory` (the contract
suite in integration/signing_key runs against both)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from auth.application.signing_key.ports.key_directory import KeyDirectory
from auth.domain.signing_key.exceptions import InvalidSigningKeyError
from auth.domain.signing_key.key_rotation import KeyRotation
from auth.domain.signing_key.key_state import KeyState


class InMemoryKeyDirectory(KeyDirectory):
    """`files` says, per kid, whether its file holds the private key (True) or only
    the public one; `manifest` is the recorded rotation (None: a directory kept
    without states)."""

    def __init__(self, *, signing_kid: str | None = None) -> None:
        self.manifest: KeyRotation | None = None
        self.files: dict[str, bool] = {}
        self._signing_kid = signing_kid
        self._serial = itertools.count(1)

    def load(self, now: datetime) -> KeyRotation:
        if self.manifest is not None:
            self._require_files(self.manifest)
            return self.manifest
        private = sorted(kid for kid, is_private in self.files.items() if is_private)
        public = sorted(kid for kid, is_private in self.files.items() if not is_private)
        if not private and not public:
            return KeyRotation()
        signing = self._signing_kid or (private[0] if len(private) == 1 else None)
        if signing is None or signing not in private:
            raise InvalidSigningKeyError("several private keys: name the signing one")
        return KeyRotation.adopt(signing=signing, private=private, public=public, now=now)

    def create_key(self, now: datetime) -> str:
        kid = f"{now.astimezone(UTC):%Y%m%d}-key{next(self._serial)}"
        self.files[kid] = True
        return kid

    def save(self, rotation: KeyRotation) -> None:
        self._require_files(rotation)
        self.manifest = rotation
        kept = {key.kid for key in rotation.keys}
        self.files = {
            kid: is_private and rotation.get(kid).state is not KeyState.RETIRED
            for kid, is_private in self.files.items()
            if kid in kept
        }

    def _require_files(self, rotation: KeyRotation) -> None:
        for key in rotation.keys:
            if key.kid not in self.files:
                raise InvalidSigningKeyError(f"{key.kid}.pem is missing")
            if key.state is not KeyState.RETIRED and not self.files[key.kid]:
                raise InvalidSigningKeyError(f"{key.kid}.pem: needs its private key")
