"""Errors of the identity feature."""

from __future__ import annotations

from kernel.errors import ConflictError
from users.application.common.exceptions.base import ApplicationError


class IdentityContendedError(ApplicationError, ConflictError):
    code = "IDENTITY_CONTENDED"
    default_detail = "The social account was linked and unlinked concurrently too often; try again."
