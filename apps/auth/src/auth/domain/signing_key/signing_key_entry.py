"""One signing key's record in the rotation: its id, state and when it changed."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import ClassVar

from auth.domain.signing_key.exceptions import InvalidSigningKeyError
from auth.domain.signing_key.key_state import KeyState
from kernel.value_object import ValueObject


@dataclass(frozen=True, slots=True)
class SigningKeyEntry(ValueObject):
    """A key published since `created_at`, signing since `promoted_at` (current, and
    retired keys that once signed), retired at `retired_at`.

    The kid is also a file name and a Kubernetes Secret key, so it is 1 to
    `MAX_KID_LEN` letters, digits, `.`, `_` or `-`, starting with a letter or digit.
    """

    KID_PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
    MAX_KID_LEN: ClassVar[int] = 64

    kid: str
    state: KeyState
    created_at: datetime
    promoted_at: datetime | None = None
    retired_at: datetime | None = None

    def validate(self) -> None:
        if len(self.kid) > self.MAX_KID_LEN or not self.KID_PATTERN.fullmatch(self.kid):
            raise InvalidSigningKeyError(
                f"kid {self.kid!r}: 1 to {self.MAX_KID_LEN} letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"
            )
        times = (self.created_at, self.promoted_at, self.retired_at)
        if any(t is not None and t.utcoffset() is None for t in times):
            raise InvalidSigningKeyError(f"key {self.kid}: times must be timezone-aware")
        # (has promoted_at, has retired_at) each state implies, and how to say it
        implied, wording = {
            KeyState.NEXT: ((False, False), "neither promoted_at nor retired_at"),
            KeyState.CURRENT: ((True, False), "promoted_at and no retired_at"),
            KeyState.RETIRED: ((self.promoted_at is not None, True), "retired_at"),
        }[self.state]
        if (self.promoted_at is not None, self.retired_at is not None) != implied:
            raise InvalidSigningKeyError(f"key {self.kid}: a {self.state} key has {wording}")

    def promoted(self, now: datetime) -> SigningKeyEntry:
        """This key, signing from `now`."""
        return replace(self, state=KeyState.CURRENT, promoted_at=now)

    def retired(self, now: datetime) -> SigningKeyEntry:
        """This key, no longer signing from `now`."""
        return replace(self, state=KeyState.RETIRED, retired_at=now)
