"""ProviderGateway for Sign in with Apple (Apple's REST API for the web).

`/auth/authorize` with `response_mode=form_post` (required when the `name` or `email`
scope is asked for): Apple POSTs `code`, `state`, `id_token` and, on the user's first
authorization only, `user` (JSON: `name.firstName`, `name.lastName`, `email`) to the
redirect URI. The code is exchanged at `/auth/token`, authenticated by a client secret
the team's key signs (`AppleClientSecret`); the id_token of that exchange is verified
against Apple's JWKS (`/auth/keys`) like any OIDC issuer's (iss, aud, exp, nonce).

Claims: `sub` (stable per team), `email` (a real address or a private relay address,
`…@privaterelay.appleid.com`, both accepted), `email_verified` and `is_private_email`,
which Apple sends as booleans or as the strings "true"/"false". Apple has no UserInfo
endpoint: the name exists only in that first `user` field.
"""

from __future__ import annotations

import json
from typing import Any

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.infrastructure.oauth.oidc_provider_gateway import HttpxOidcProviderGateway
from auth.infrastructure.oauth.provider_http import optional_str


class HttpxAppleProviderGateway(HttpxOidcProviderGateway):
    """Sign in with Apple: form_post callback, ES256 client secret, verified id_token.

    The e-mail and its verification come from the verified id_token only; the
    unsigned ``user`` field is read for the name and nothing else.
    """

    async def _profile(
        self, claims: dict[str, Any], access_token: str, user_details: str | None
    ) -> ProviderProfile:
        return ProviderProfile(
            provider=self.name,
            provider_user_id=claims["sub"],
            email=optional_str(claims.get("email")),
            email_verified=apple_boolean(claims.get("email_verified")),
            nickname=first_authorization_name(user_details),
            profile_image_url=None,
        )


def apple_boolean(value: object) -> bool:
    """A boolean claim Apple may send as JSON ``true`` or as the string ``"true"``."""
    return value is True or value == "true"


def first_authorization_name(user_details: str | None) -> str | None:
    """``"firstName lastName"`` from the ``user`` JSON Apple posts on the first
    authorization; None when absent or not the documented shape."""
    if not user_details:
        return None
    try:
        user = json.loads(user_details)
    except (ValueError, RecursionError):
        return None
    name = user.get("name") if isinstance(user, dict) else None
    if not isinstance(name, dict):
        return None
    parts = (optional_str(name.get("firstName")), optional_str(name.get("lastName")))
    return " ".join(part for part in parts if part) or None
