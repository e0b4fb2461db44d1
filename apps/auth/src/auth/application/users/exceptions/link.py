"""Refusals of the users service to link a provider account to a user."""

from __future__ import annotations

from kernel.errors import ConflictError


class AccountAlreadyLinkedError(ConflictError):
    """The provider account already belongs to another user: nothing was changed."""

    code = "ACCOUNT_ALREADY_LINKED"
    default_detail = "This provider account is already linked to another user."


class ProviderAlreadyLinkedError(ConflictError):
    """The user already has another account of this provider linked."""

    code = "PROVIDER_ALREADY_LINKED"
    default_detail = "Another account of this provider is already linked to this user."
