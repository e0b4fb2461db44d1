"""Errors of signing-key rotation: a key that does not exist, or a step its state or
its age does not allow yet."""

from __future__ import annotations

from kernel.errors import ConflictError, NotFoundError, ValidationError


class InvalidSigningKeyError(ValidationError):
    """A key id or a key's recorded times break their rules."""

    code = "SIGNING_KEY_INVALID"
    default_detail = "The signing key record is not valid."


class SigningKeyNotFoundError(NotFoundError):
    """No key with this id is in the rotation."""

    code = "SIGNING_KEY_NOT_FOUND"
    default_detail = "No such signing key."


class SigningKeyStateError(ConflictError):
    """The key's state does not allow the step (promote a key that is not next, remove
    the current key, promote without naming one of several next keys)."""

    code = "SIGNING_KEY_STATE_CONFLICT"
    default_detail = "The signing key's state does not allow this."


class SigningKeyTooEarlyError(ConflictError):
    """The step is allowed only later: a next key not yet published long enough to
    sign, or a retired key whose tokens may still be valid."""

    code = "SIGNING_KEY_TOO_EARLY"
    default_detail = "It is too early for this step; wait, or force it."
