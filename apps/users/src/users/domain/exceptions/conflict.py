"""Errors raised when a change conflicts with stored state (unique keys)."""

from __future__ import annotations

from kernel.errors import ConflictError


class SocialAccountAlreadyLinkedError(ConflictError):
    code = "SOCIAL_ACCOUNT_ALREADY_LINKED"
    default_detail = "This social account is already linked to an account."


class CharacterAlreadyOwnedError(ConflictError):
    code = "CHARACTER_ALREADY_OWNED"
    default_detail = "The user already has this character."


class UserAlreadyExistsError(ConflictError):
    code = "USER_ALREADY_EXISTS"
    default_detail = "An account with this id already exists."
