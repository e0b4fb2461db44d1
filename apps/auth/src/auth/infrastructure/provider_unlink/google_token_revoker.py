"""Google: revoke the refresh token (and with it the user's grant to the app).

`POST https://oauth2.googleapis.com/revoke` with the form `token=<token>`: 200 when
revoked; 400 `{"error": "invalid_token"}` when the token is already expired or revoked.
"""

from __future__ import annotations

import httpx

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import UnlinkOutcome
from auth.application.provider_link.ports.provider_unlinker import ProviderUnlinker
from auth.infrastructure.provider_unlink.unlink_http import json_object, post_form, rejected


class HttpxGoogleTokenRevoker(ProviderUnlinker):
    def __init__(self, http: httpx.AsyncClient, *, url: str) -> None:
        self._http = http
        self._url = url

    async def unlink(self, link: ProviderLink) -> UnlinkOutcome:
        if link.refresh_token is None:
            return UnlinkOutcome.SKIPPED
        response = await post_form(
            self._http, self._url, {"token": link.refresh_token}, what="Google revocation"
        )
        if response.status_code == 200:
            return UnlinkOutcome.UNLINKED
        body = json_object(response)
        if response.status_code == 400 and body.get("error") == "invalid_token":
            return UnlinkOutcome.ALREADY_GONE
        raise rejected("Google revocation", response, body)
