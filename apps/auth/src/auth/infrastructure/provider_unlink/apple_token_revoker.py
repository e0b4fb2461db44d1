"""Sign in with Apple: revoke the refresh token, as Apple requires at account deletion.

`POST https://appleid.apple.com/auth/revoke` with `client_id`, `client_secret` (the
ES256 JWT of `AppleClientSecret`), `token` and `token_type_hint=refresh_token`: 200
when revoked (also for a token already revoked). An error is 400 with
`{"error": …}`: `invalid_grant` (the token is invalid or expired) means already gone.
"""

from __future__ import annotations

import httpx

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import UnlinkOutcome
from auth.application.provider_link.ports.provider_unlinker import ProviderUnlinker
from auth.infrastructure.oauth.client_secret import ClientSecret
from auth.infrastructure.provider_unlink.unlink_http import json_object, post_form, rejected

TOKEN_GONE = frozenset({"invalid_grant", "invalid_token"})


class HttpxAppleTokenRevoker(ProviderUnlinker):
    def __init__(
        self, http: httpx.AsyncClient, *, url: str, client_id: str, client_secret: ClientSecret
    ) -> None:
        self._http = http
        self._url = url
        self._client_id = client_id
        self._client_secret = client_secret

    async def unlink(self, link: ProviderLink) -> UnlinkOutcome:
        if link.refresh_token is None:
            return UnlinkOutcome.SKIPPED
        response = await post_form(
            self._http,
            self._url,
            {
                "client_id": self._client_id,
                "client_secret": self._client_secret.value(),
                "token": link.refresh_token,
                "token_type_hint": "refresh_token",
            },
            what="Apple revocation",
        )
        if response.status_code == 200:
            return UnlinkOutcome.UNLINKED
        body = json_object(response)
        if body.get("error") in TOKEN_GONE:
            return UnlinkOutcome.ALREADY_GONE
        raise rejected("Apple revocation", response, body)
