"""The signing keys of one key directory and the steps that rotate them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from auth.domain.signing_key.exceptions import (
    InvalidSigningKeyError,
    SigningKeyNotFoundError,
    SigningKeyStateError,
    SigningKeyTooEarlyError,
)
from auth.domain.signing_key.key_rotation_policy import KeyRotationPolicy
from auth.domain.signing_key.key_state import KeyState
from auth.domain.signing_key.signing_key_entry import SigningKeyEntry
from kernel.value_object import ValueObject


@dataclass(frozen=True, slots=True)
class KeyRotation(ValueObject):
    """Every key and its state, oldest first; each step answers a new rotation.

    Invariants: kids are unique, and a rotation holding any key has exactly one
    current key. A key goes next -> current -> retired -> removed; a next key that
    never signed may be removed at once, the current key never.
    """

    keys: tuple[SigningKeyEntry, ...] = ()

    def validate(self) -> None:
        kids = [key.kid for key in self.keys]
        if len(set(kids)) != len(kids):
            raise InvalidSigningKeyError("a kid appears twice")
        current = [key.kid for key in self.keys if key.state is KeyState.CURRENT]
        if self.keys and len(current) != 1:
            raise InvalidSigningKeyError(
                f"exactly one key must be current, found {len(current)}: {current}"
            )

    @classmethod
    def adopt(
        cls, *, signing: str, private: Iterable[str], public: Iterable[str], now: datetime
    ) -> KeyRotation:
        """The states of a directory kept without states (one PEM file per key): the
        signing key is current, the other private keys next, the public keys retired
        at `now` (as if they had signed until now, the safe assumption)."""
        keys = [SigningKeyEntry(signing, KeyState.CURRENT, created_at=now, promoted_at=now)]
        keys += [
            SigningKeyEntry(kid, KeyState.NEXT, created_at=now) for kid in private if kid != signing
        ]
        keys += [
            SigningKeyEntry(kid, KeyState.RETIRED, created_at=now, retired_at=now) for kid in public
        ]
        return cls(tuple(keys))

    @property
    def current(self) -> SigningKeyEntry:
        """The signing key.

        :raises SigningKeyStateError: the rotation holds no key at all.
        """
        for key in self.keys:
            if key.state is KeyState.CURRENT:
                return key
        raise SigningKeyStateError("there is no key: generate one")

    def get(self, kid: str) -> SigningKeyEntry:
        """:raises SigningKeyNotFoundError: no key `kid`."""
        for key in self.keys:
            if key.kid == kid:
                return key
        raise SigningKeyNotFoundError(f"no key {kid!r}")

    def with_new_key(self, kid: str, now: datetime) -> KeyRotation:
        """`kid` added as next; as current when it is the first key (no token exists
        that a verifier would need it for ahead of time).

        :raises InvalidSigningKeyError: the kid is taken or not a valid kid.
        """
        if not self.keys:
            return KeyRotation((SigningKeyEntry(kid, KeyState.CURRENT, now, promoted_at=now),))
        return KeyRotation((*self.keys, SigningKeyEntry(kid, KeyState.NEXT, created_at=now)))

    def promote(
        self, kid: str | None, now: datetime, policy: KeyRotationPolicy, *, force: bool = False
    ) -> KeyRotation:
        """`kid` (by default the only next key) signs from `now`; the current key retires.

        :raises SigningKeyNotFoundError: no key `kid`.
        :raises SigningKeyStateError: `kid` is not a next key; no next key; several
            and none named.
        :raises SigningKeyTooEarlyError: published for less than `policy.publish_ahead`
            (unless `force`: verifiers whose JWKS copy predates it reject its tokens
            until they fetch the JWKS again).
        """
        target = self._next_key(kid)
        ready_at = policy.promotable_at(target)
        if now < ready_at and not force:
            raise SigningKeyTooEarlyError(
                f"key {target.kid} is published since {target.created_at.isoformat()}; it may "
                f"sign from {ready_at.isoformat()}, when every verifier's copy of the JWKS "
                "holds it (force to promote now)"
            )
        return KeyRotation(
            tuple(
                key.promoted(now)
                if key.kid == target.kid
                else key.retired(now)
                if key.state is KeyState.CURRENT
                else key
                for key in self.keys
            )
        )

    def removable(self, now: datetime, policy: KeyRotationPolicy) -> tuple[str, ...]:
        """The retired keys whose every token has expired by `now`."""
        return tuple(
            key.kid
            for key in self.keys
            if (removable_at := policy.removable_at(key)) is not None and removable_at <= now
        )

    def without(
        self, kid: str, now: datetime, policy: KeyRotationPolicy, *, force: bool = False
    ) -> KeyRotation:
        """The rotation with `kid` no longer published.

        :raises SigningKeyNotFoundError: no key `kid`.
        :raises SigningKeyStateError: `kid` is the current key (promote another first).
        :raises SigningKeyTooEarlyError: a retired key whose tokens may still be valid
            (unless `force`, for a compromised key: those tokens are rejected at once,
            and the sessions they belong to end).
        """
        key = self.get(kid)
        if key.state is KeyState.CURRENT:
            raise SigningKeyStateError(f"key {kid} is the current key; promote another first")
        removable_at = policy.removable_at(key)
        if removable_at is not None and now < removable_at and not force:
            raise SigningKeyTooEarlyError(
                f"key {kid} signed tokens that may be valid until {removable_at.isoformat()} "
                "(force to remove it now)"
            )
        return KeyRotation(tuple(other for other in self.keys if other.kid != kid))

    def _next_key(self, kid: str | None) -> SigningKeyEntry:
        if kid is not None:
            key = self.get(kid)
            if key.state is not KeyState.NEXT:
                raise SigningKeyStateError(f"key {kid} is {key.state}, not next")
            return key
        waiting = [key for key in self.keys if key.state is KeyState.NEXT]
        if len(waiting) != 1:
            raise SigningKeyStateError(
                "no next key: generate one first"
                if not waiting
                else f"several next keys ({', '.join(k.kid for k in waiting)}): name one"
            )
        return waiting[0]
