"""Naver: end the link by deleting the user's token at the token endpoint.

Naver's deletion (`grant_type=delete`, with `client_id`, `client_secret`,
`access_token` and `service_provider=NAVER`) takes an access token, which lives an
hour; the stored refresh token gets a fresh one first (`grant_type=refresh_token`).
Naver answers token errors with a JSON `error` (often with status 200); a refresh
token Naver no longer honours (the user unlinked at Naver, or it expired) means the
link is already gone. Success: `{"access_token": …, "result": "success"}`.
"""

from __future__ import annotations

from typing import Any

import httpx

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import UnlinkOutcome
from auth.application.provider_link.ports.provider_unlinker import ProviderUnlinker
from auth.infrastructure.provider_unlink.unlink_http import json_object, post_form, rejected

# Refusals of our client, not of the user's token: the configuration is wrong.
CLIENT_ERRORS = frozenset({"invalid_client", "unauthorized_client", "unsupported_grant_type"})


class HttpxNaverTokenUnlinker(ProviderUnlinker):
    def __init__(
        self, http: httpx.AsyncClient, *, token_url: str, client_id: str, client_secret: str
    ) -> None:
        self._http = http
        self._url = token_url
        self._client = {"client_id": client_id, "client_secret": client_secret}

    async def unlink(self, link: ProviderLink) -> UnlinkOutcome:
        if link.refresh_token is None:
            return UnlinkOutcome.SKIPPED
        response, body = await self._post(
            {"grant_type": "refresh_token", "refresh_token": link.refresh_token}, "Naver refresh"
        )
        access_token = body.get("access_token")
        if not isinstance(access_token, str) or not access_token or "error" in body:
            error = body.get("error")
            if isinstance(error, str) and error not in CLIENT_ERRORS:
                return UnlinkOutcome.ALREADY_GONE  # Naver no longer honours the refresh token
            raise rejected("Naver refresh", response, body)
        response, body = await self._post(
            {"grant_type": "delete", "access_token": access_token, "service_provider": "NAVER"},
            "Naver token deletion",
        )
        if response.status_code == 200 and body.get("result") == "success":
            return UnlinkOutcome.UNLINKED
        raise rejected("Naver token deletion", response, body)

    async def _post(self, form: dict[str, str], what: str) -> tuple[httpx.Response, dict[str, Any]]:
        response = await post_form(self._http, self._url, {**self._client, **form}, what=what)
        return response, json_object(response)
