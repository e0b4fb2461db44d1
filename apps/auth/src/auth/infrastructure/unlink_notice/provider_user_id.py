"""The identity a notice names, read like a provider's profile (untrusted text)."""

from __future__ import annotations

from auth.application.unlink_notice.exceptions.unlink_notice import NoticeMalformedError
from auth.application.users.dto.identity import ExternalIdentity
from kernel.text import has_unsafe_characters


def notice_provider_user_id(value: str | None) -> str:
    """``value`` as a provider user id: non-empty, at most the users service's length,
    without control characters, lone surrogates or bidirectional controls (the same
    rule as a login's profile, so a notice can name only an identity a login could
    have stored).

    :raises NoticeMalformedError: it is not such an id.
    """
    if (
        not value
        or len(value) > ExternalIdentity.PROVIDER_USER_ID_MAX_LEN
        or has_unsafe_characters(value)
    ):
        raise NoticeMalformedError("The notice names no valid provider user id.")
    return value
