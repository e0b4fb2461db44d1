"""Kakao's unlink webhook ("연결 끊기 알림"): `GET` or `POST` with `app_id`, `user_id` and
`referrer_type`, and the header `Authorization: KakaoAK ${PRIMARY_ADMIN_KEY}`.

Kakao signs nothing: the admin key (the app's secret) and the app id are the whole
proof, compared in constant time. `user_id` is the member number, the id_token's `sub`
a Kakao login stored as the provider user id. `referrer_type` says why (ACCOUNT_DELETE,
FORCED_ACCOUNT_DELETE, UNLINK_FROM_APPS, UNLINK_FROM_ADMIN, INCOMPLETE_SIGN_UP); the
link has ended at Kakao whatever it says, so any value is applied (and logged), an
unknown one included.
"""

from __future__ import annotations

import hmac

from auth.application.unlink_notice.dto.unlink_notice import (
    UnlinkNoticeRequest,
    VerifiedUnlinkNotice,
)
from auth.application.unlink_notice.exceptions.unlink_notice import (
    NoticeSignatureInvalidError,
)
from auth.application.unlink_notice.ports.unlink_notice_verifier import UnlinkNoticeVerifier
from auth.infrastructure.unlink_notice.provider_user_id import notice_provider_user_id

SCHEME = "kakaoak"
REASON_MAX_LEN = 32


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class KakaoAdminKeyNoticeVerifier(UnlinkNoticeVerifier):
    """Accepts a notice carrying this app's admin key and app id."""

    def __init__(self, *, admin_key: str, app_id: str, provider: str = "kakao") -> None:
        if not admin_key or not app_id:
            raise ValueError("Kakao unlink notices need the admin key and the app id")
        self._admin_key = admin_key
        self._app_id = app_id
        self._provider = provider

    def verify(self, request: UnlinkNoticeRequest) -> VerifiedUnlinkNotice:
        scheme, _, key = (request.authorization or "").strip().partition(" ")
        if scheme.lower() != SCHEME or not _same(key.strip(), self._admin_key):
            raise NoticeSignatureInvalidError("The Authorization header is not this app's key.")
        if not _same(request.fields.get("app_id"), self._app_id):
            raise NoticeSignatureInvalidError("The notice is for another app.")
        reason = (request.fields.get("referrer_type") or "unspecified")[:REASON_MAX_LEN]
        return VerifiedUnlinkNotice(
            provider=self._provider,
            provider_user_id=notice_provider_user_id(request.fields.get("user_id")),
            reason=reason,
        )
