"""Where the verifier finds the public key of a token's ``kid``."""

from __future__ import annotations

from typing import Protocol

from jwt import PyJWK


class KeySource(Protocol):
    """Resolves a key id to a public key (PyJWT form)."""

    async def key_for(self, kid: str | None) -> PyJWK | None:
        """The key with this id, or None when there is none.

        :raises TokenKeysUnavailableError: no keys could be obtained at all.
        """
        ...
