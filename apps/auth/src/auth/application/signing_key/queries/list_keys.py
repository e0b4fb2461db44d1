"""The signing keys and their states."""

from __future__ import annotations

from auth.application.signing_key.dto.signing_key import SigningKeyStatus
from auth.application.signing_key.ports.key_directory import KeyDirectory
from auth.domain.signing_key.key_rotation_policy import KeyRotationPolicy
from auth.domain.signing_key.key_state import KeyState
from kernel.clock import Clock


class ListSigningKeysQuery:
    """Every key of the directory, oldest first, with when it may be promoted (next)
    or removed (retired). Reads only: a directory kept without states is shown as
    it would be adopted.

    :raises InvalidSigningKeyError: the directory holds unusable records.
    """

    def __init__(self, directory: KeyDirectory, clock: Clock, policy: KeyRotationPolicy) -> None:
        self._directory = directory
        self._clock = clock
        self._policy = policy

    def execute(self) -> tuple[SigningKeyStatus, ...]:
        rotation = self._directory.load(self._clock.now())
        return tuple(
            SigningKeyStatus(
                key=key,
                ready_at=self._policy.promotable_at(key)
                if key.state is KeyState.NEXT
                else self._policy.removable_at(key),
            )
            for key in rotation.keys
        )
