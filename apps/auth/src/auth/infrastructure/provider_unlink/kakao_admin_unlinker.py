"""Kakao: unlink a user from the app with the app's admin key (no user token needed).

`POST /v1/user/unlink` with `Authorization: KakaoAK <admin key>` and the form
`target_id_type=user_id&target_id=<Kakao user id>`; 200 `{"id": <user id>}`. Errors are
`{"code": <negative int>, "msg": …}` (Kakao's common error codes).
"""

from __future__ import annotations

import httpx

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import UnlinkOutcome
from auth.application.provider_link.exceptions.unlink import ProviderUnlinkUnavailableError
from auth.application.provider_link.ports.provider_unlinker import ProviderUnlinker
from auth.infrastructure.provider_unlink.unlink_http import json_object, post_form, rejected

# -101: the user is not linked to the app (already unlinked); -103: a dormant or
# invalid (deleted) Kakao account.
GONE_CODES = frozenset({-101, -103})
# -1: internal error; -7: service under maintenance; -603: a timeout inside Kakao;
# -9798: service check in progress.
TRANSIENT_CODES = frozenset({-1, -7, -603, -9798})


class HttpxKakaoAdminUnlinker(ProviderUnlinker):
    def __init__(self, http: httpx.AsyncClient, *, url: str, admin_key: str) -> None:
        self._http = http
        self._url = url
        self._headers = {"Authorization": f"KakaoAK {admin_key}"}

    async def unlink(self, link: ProviderLink) -> UnlinkOutcome:
        response = await post_form(
            self._http,
            self._url,
            {"target_id_type": "user_id", "target_id": link.provider_user_id},
            what="Kakao unlink",
            headers=self._headers,
        )
        body = json_object(response)
        if response.status_code == 200:
            return UnlinkOutcome.UNLINKED
        code = body.get("code")
        if code in GONE_CODES:
            return UnlinkOutcome.ALREADY_GONE
        if code in TRANSIENT_CODES:
            raise ProviderUnlinkUnavailableError(f"Kakao unlink answered code {code}")
        raise rejected("Kakao unlink", response, body)
