"""A provider's profile made fit for the users service: provider text is untrusted."""

from __future__ import annotations

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.exceptions.oauth import OAuthProviderError
from auth.application.users.dto.identity import ExternalIdentity
from kernel.text import clean_text, has_unsafe_characters


def external_identity(profile: ProviderProfile) -> ExternalIdentity:
    """The identity to get-or-create for ``profile``, normalised at this boundary so
    that no provider's text can make the users service refuse a login:

    - the nickname loses control characters, lone surrogates and bidirectional
      controls, is NFC-normalised and trimmed, and is cut to the users' limit at a
      character boundary (nothing left: no nickname);
    - an email or image URL holding such characters or over its limit is dropped,
      not repaired (an altered address is another address); a dropped email is
      not verified;
    - the provider user id is the key of the identity and is never altered.

    :raises OAuthProviderError: the provider user id holds such characters or is too long.
    """
    subject = profile.provider_user_id
    if has_unsafe_characters(subject) or len(subject) > ExternalIdentity.PROVIDER_USER_ID_MAX_LEN:
        raise OAuthProviderError("the provider's user id is not usable")
    email = _intact(profile.email, ExternalIdentity.EMAIL_MAX_LEN)
    return ExternalIdentity(
        provider=profile.provider,
        provider_user_id=subject,
        email=email,
        email_verified=profile.email_verified and email is not None,
        nickname=clean_text(profile.nickname, ExternalIdentity.NICKNAME_MAX_LEN),
        profile_image_url=_intact(
            profile.profile_image_url, ExternalIdentity.PROFILE_IMAGE_URL_MAX_LEN
        ),
    )


def _intact(value: str | None, max_len: int) -> str | None:
    """``value`` when it is usable as it is, else None."""
    if value is None or len(value) > max_len or has_unsafe_characters(value):
        return None
    return value
