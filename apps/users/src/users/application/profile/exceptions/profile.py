"""Errors of the profile feature."""

from __future__ import annotations

from kernel.errors import ValidationError
from users.application.common.exceptions.base import ApplicationError


class EmptyProfileChangeError(ApplicationError, ValidationError):
    code = "PROFILE_CHANGE_EMPTY"
    default_detail = "Give at least one of nickname and phone_number."
