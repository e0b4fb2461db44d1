"""Where an account stands in its life: in use, waiting for its purge, or disabled."""

from __future__ import annotations

from enum import StrEnum


class AccountStatus(StrEnum):
    """Only ``ACTIVE`` signs in. ``PENDING_DELETION``: its owner asked for deletion and
    may restore it until its purge date. ``DISABLED``: an administrator stopped it (a
    deletion requested before stays requested, and its purge date still applies)."""

    ACTIVE = "active"
    PENDING_DELETION = "pending_deletion"
    DISABLED = "disabled"
