"""Why an unlink notice was refused. A refused notice changes nothing."""

from __future__ import annotations

from kernel.errors import (
    AuthenticationError,
    DependencyUnavailableError,
    NotFoundError,
    ValidationError,
)


class UnlinkNoticesNotConfiguredError(NotFoundError):
    """This provider's notices cannot be verified here (no admin key, app id or client
    secret configured), so none is accepted."""

    code = "UNLINK_NOTICES_NOT_CONFIGURED"
    default_detail = "Unlink notices of this provider are not configured."


class UnlinkNoticeRejectedError(AuthenticationError):
    """A notice that does not prove it comes from the provider (401)."""

    code = "NOTICE_REJECTED"
    default_detail = "The unlink notice was refused."


class NoticeSignatureInvalidError(UnlinkNoticeRejectedError):
    """A wrong or missing admin key (Kakao), signature or client id (Naver), or a field
    the signature does not cover as sent."""

    code = "NOTICE_SIGNATURE_INVALID"
    default_detail = "The unlink notice's key or signature is not valid."


class NoticeStaleError(UnlinkNoticeRejectedError):
    """A signed timestamp outside the staleness window (either side of now)."""

    code = "NOTICE_STALE"
    default_detail = "The unlink notice's timestamp is too old or in the future."


class NoticeReplayedError(UnlinkNoticeRejectedError):
    """This exact signed notice was already applied, or is being applied."""

    code = "NOTICE_REPLAYED"
    default_detail = "This unlink notice was already received."


class NoticeMalformedError(ValidationError):
    """An authentic notice whose content cannot be used (no user id, an identifier that
    does not decrypt to text): 422, nothing changes."""

    code = "NOTICE_MALFORMED"
    default_detail = "The unlink notice is authentic but its content cannot be read."


class NoticeDeadlineExceededError(DependencyUnavailableError):
    """Applying the notice did not finish within the deadline (a dependency is slow):
    503, so the provider may send it again; what was done is safe to repeat."""

    code = "NOTICE_DEADLINE_EXCEEDED"
    default_detail = "The unlink notice could not be applied in time; send it again."


class NoticeStoreUnavailableError(DependencyUnavailableError):
    """Where received notices are remembered (Redis) did not answer: 503, nothing done."""

    code = "NOTICE_STORE_UNAVAILABLE"
    default_detail = "Unlink notices cannot be checked for replays right now; send it again."
