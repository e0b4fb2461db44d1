"""A provider's e-mail as an Email value, or nothing."""

from __future__ import annotations

from users.domain.exceptions.validation import InvalidEmailError
from users.domain.value_objects.email import Email


def provider_email(raw: str | None) -> Email | None:
    """The e-mail a provider sent, parsed; None when it sent none, or one in a shape that
    is not an e-mail (dropped rather than refusing the login or link)."""
    if raw is None or not raw.strip():
        return None
    try:
        return Email.parse(raw)
    except InvalidEmailError:
        return None
