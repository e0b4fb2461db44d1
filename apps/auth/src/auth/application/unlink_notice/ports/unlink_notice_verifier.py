"""Port: prove that an unlink notice comes from its provider, and read it."""

from __future__ import annotations

from typing import Protocol

from auth.application.unlink_notice.dto.unlink_notice import (
    UnlinkNoticeRequest,
    VerifiedUnlinkNotice,
)


class UnlinkNoticeVerifier(Protocol):
    """One provider's notice format and proof (Kakao: its admin key; Naver: an HMAC and
    an encrypted identifier). Pure computation: no I/O, so a verification is fast and
    cannot fail for want of a dependency."""

    def verify(self, request: UnlinkNoticeRequest) -> VerifiedUnlinkNotice:
        """The notice's content, once its proof holds (secrets compared in constant time).

        :raises NoticeSignatureInvalidError: the key, signature or client id is wrong or
            missing.
        :raises NoticeMalformedError: authentic, but without a usable identity.
        """
        ...
