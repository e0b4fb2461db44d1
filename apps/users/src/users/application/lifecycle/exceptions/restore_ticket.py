"""Errors of the restore path."""

from __future__ import annotations

from kernel.errors import AuthenticationError
from users.application.common.exceptions.base import ApplicationError


class RestoreTicketMissingError(ApplicationError, AuthenticationError):
    code = "RESTORE_TICKET_MISSING"
    default_detail = (
        "No restore ticket: sign in again; auth hands one out (cookie s_restore) when "
        "the account is pending deletion."
    )
