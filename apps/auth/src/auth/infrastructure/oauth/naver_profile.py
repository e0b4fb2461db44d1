"""Naver's member profile API (`GET https://openapi.naver.com/v1/nid/me`).

The answer wraps the member in `response` next to `resultcode` ("00" on success):
`response.id` (unique per application), `nickname`, `name`, `email`,
`profile_image`. Naver sends no e-mail verification flag, so its e-mail never
counts as verified.
"""

from __future__ import annotations

import httpx

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.exceptions.oauth import OAuthProviderError
from auth.infrastructure.oauth.provider_http import get_json, optional_str, require_str


async def fetch_naver_profile(
    http: httpx.AsyncClient, url: str, access_token: str, *, provider: str
) -> ProviderProfile:
    """The member the access token belongs to, keyed by `response.id`.

    :raises OAuthProviderError: the call failed, or its answer is not a success.
    """
    body = await get_json(http, url, bearer=access_token)
    member = body.get("response")
    if body.get("resultcode") != "00" or not isinstance(member, dict):
        raise OAuthProviderError(f"Naver profile call failed: {body.get('resultcode')!r}")
    return ProviderProfile(
        provider=provider,
        provider_user_id=require_str(member, "id", "Naver profile"),
        email=optional_str(member.get("email")),
        email_verified=False,
        nickname=optional_str(member.get("nickname")) or optional_str(member.get("name")),
        profile_image_url=optional_str(member.get("profile_image")),
    )
