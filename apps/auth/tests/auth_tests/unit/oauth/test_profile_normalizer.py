"""external_identity: provider text is normalised before it goes to the users service."""

from __future__ import annotations

from dataclasses import replace

import pytest

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.exceptions.oauth import OAuthProviderError
from auth.application.oauth.services.profile_normalizer import external_identity
from auth.application.users.dto.identity import ExternalIdentity

LONE_SURROGATE = chr(0xD800)
PROFILE = ProviderProfile(
    provider="kakao",
    provider_user_id="4242",
    email="eco@example.com",
    email_verified=True,
    nickname="지구지킴이",
    profile_image_url="https://img.example.com/p/1.png",
)


def test_a_clean_profile_passes_unchanged() -> None:
    assert external_identity(PROFILE) == ExternalIdentity(
        provider="kakao",
        provider_user_id="4242",
        email="eco@example.com",
        email_verified=True,
        nickname="지구지킴이",
        profile_image_url="https://img.example.com/p/1.png",
    )


@pytest.mark.parametrize(
    ("nickname", "expected"),
    [
        ("eco\x00fan", "ecofan"),
        (f"eco{LONE_SURROGATE}fan", "ecofan"),
        ("eco\tfan\r\n", "eco fan"),
        ("\u202eeco", "eco"),
        ("\x00" + LONE_SURROGATE, None),
        ("e" * 99 + "e\u0301", "e" * 99 + "\u00e9"),  # NFC first: one character
        ("e" * 99 + "a\u0301\u0302", "e" * 99),  # a mark is never cut from its letter
    ],
)
def test_the_nickname_loses_unsafe_characters_and_is_capped(
    nickname: str, expected: str | None
) -> None:
    identity = external_identity(replace(PROFILE, nickname=nickname))
    assert identity.nickname == expected
    assert identity.nickname is None or len(identity.nickname) <= ExternalIdentity.NICKNAME_MAX_LEN


@pytest.mark.parametrize(
    "email",
    ["eco\x00@example.com", f"eco{LONE_SURROGATE}@example.com", "e" * 310 + "@example.com"],
)
def test_an_unusable_email_is_dropped_and_not_verified(email: str) -> None:
    identity = external_identity(replace(PROFILE, email=email))
    assert (identity.email, identity.email_verified) == (None, False)


@pytest.mark.parametrize(
    "url", ["https://img.example.com/\x00.png", "https://img.example.com/" + "p" * 2030]
)
def test_an_unusable_image_url_is_dropped(url: str) -> None:
    assert external_identity(replace(PROFILE, profile_image_url=url)).profile_image_url is None


@pytest.mark.parametrize("subject", ["42\x0042", f"42{LONE_SURROGATE}", "4" * 256])
def test_an_unusable_provider_user_id_is_a_provider_error(subject: str) -> None:
    with pytest.raises(OAuthProviderError, match="user id"):
        external_identity(replace(PROFILE, provider_user_id=subject))


def test_the_result_can_be_encoded_as_utf8() -> None:
    dirty = replace(PROFILE, nickname=f"{LONE_SURROGATE}\x00eco", email=f"{LONE_SURROGATE}@x.io")
    identity = external_identity(dirty)
    for text in (identity.nickname, identity.email, identity.profile_image_url):
        (text or "").encode("utf-8")
