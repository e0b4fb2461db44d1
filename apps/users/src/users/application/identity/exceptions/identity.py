"""Errors of the identity feature."""

from __future__ import annotations

from kernel.errors import AuthenticationError, ConflictError, NotFoundError
from users.application.common.exceptions.base import ApplicationError


class IdentityContendedError(ApplicationError, ConflictError):
    code = "IDENTITY_CONTENDED"
    default_detail = "The social account was linked and unlinked concurrently too often; try again."


class AccountAlreadyLinkedError(ApplicationError, ConflictError):
    """The provider account belongs to another user; nothing was changed."""

    code = "ACCOUNT_ALREADY_LINKED"
    default_detail = "This provider account is already linked to another user."


class ProviderAlreadyLinkedError(ApplicationError, ConflictError):
    """The user already has another account of this provider (one per provider, so
    that unlinking by provider names one account)."""

    code = "PROVIDER_ALREADY_LINKED"
    default_detail = "Another account of this provider is already linked to this user."


class LastLoginMethodError(ApplicationError, ConflictError):
    """Unlinking it would leave the account with no way to sign in."""

    code = "LAST_LOGIN_METHOD"
    default_detail = "This is the account's last login method; it cannot be unlinked."


class SocialAccountNotFoundError(ApplicationError, NotFoundError):
    code = "SOCIAL_ACCOUNT_NOT_FOUND"
    default_detail = "No account of this provider is linked."


class IdentityNotFoundError(ApplicationError, NotFoundError):
    """No account has this (provider, provider user id): never linked, or unlinked."""

    code = "IDENTITY_NOT_FOUND"
    default_detail = "No account is linked to this provider identity."


class ReauthenticationRequiredError(ApplicationError, AuthenticationError):
    """The session signed in too long ago for this change (RFC 9470's step-up: sign in
    again, then retry); a refreshed token keeps its session's sign-in time."""

    code = "REAUTHENTICATION_REQUIRED"
    default_detail = "Sign in again: this change needs a recent sign-in."
