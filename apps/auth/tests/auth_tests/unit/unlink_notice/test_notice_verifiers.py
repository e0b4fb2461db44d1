"""The verifiers of Kakao's and Naver's unlink notices: real keys, real HMAC signatures and
real AES encryption built by the test from the providers' documentation."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from auth.application.unlink_notice.dto.unlink_notice import UnlinkNoticeRequest
from auth.application.unlink_notice.exceptions.unlink_notice import (
    NoticeMalformedError,
    NoticeSignatureInvalidError,
)
from auth.infrastructure.unlink_notice.kakao_unlink_notice_verifier import (
    KakaoAdminKeyNoticeVerifier,
)
from auth.infrastructure.unlink_notice.naver_unlink_notice_verifier import (
    NaverHmacNoticeVerifier,
)
from auth_tests.provider_notices import (
    KAKAO_ADMIN_KEY,
    KAKAO_APP_ID,
    NAVER_CLIENT_ID,
    NAVER_CLIENT_SECRET,
    kakao_authorization,
    kakao_notice,
    naver_encrypt,
    naver_notice,
    naver_sign,
)

KAKAO = KakaoAdminKeyNoticeVerifier(admin_key=KAKAO_ADMIN_KEY, app_id=KAKAO_APP_ID)
NAVER = NaverHmacNoticeVerifier(client_id=NAVER_CLIENT_ID, client_secret=NAVER_CLIENT_SECRET)
STAMP = 1_780_000_000
NAVER_ID = "Hc8fG4u8q0bQxYl-7_/vQ+2A"  # Naver's ids are Base64 text


def kakao(fields: dict[str, str], authorization: str | None) -> UnlinkNoticeRequest:
    return UnlinkNoticeRequest("kakao", fields, authorization)


def naver(fields: dict[str, str]) -> UnlinkNoticeRequest:
    return UnlinkNoticeRequest("naver", fields)


# Kakao


@pytest.mark.parametrize(
    "referrer",
    [
        "ACCOUNT_DELETE",
        "FORCED_ACCOUNT_DELETE",
        "UNLINK_FROM_APPS",
        "UNLINK_FROM_ADMIN",
        "INCOMPLETE_SIGN_UP",
    ],
)
def test_kakao_accepts_its_admin_key_and_names_the_member(referrer: str) -> None:
    notice = KAKAO.verify(kakao(kakao_notice("3141592653", referrer), kakao_authorization()))
    assert (notice.provider, notice.provider_user_id, notice.reason) == (
        "kakao",
        "3141592653",
        referrer,
    )
    assert (notice.issued_at, notice.replay_key) == (None, None)  # Kakao signs nothing


def test_kakao_takes_the_scheme_in_any_case_and_an_unknown_reason() -> None:
    fields = kakao_notice("42", referrer_type="SOMETHING_NEW")
    notice = KAKAO.verify(kakao(fields, f"kakaoak {KAKAO_ADMIN_KEY}"))
    assert (notice.provider_user_id, notice.reason) == ("42", "SOMETHING_NEW")


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "KakaoAK",
        f"KakaoAK {KAKAO_ADMIN_KEY}x",
        f"KakaoAK {KAKAO_ADMIN_KEY[:-1]}",
        f"Bearer {KAKAO_ADMIN_KEY}",
        f"KakaoAK{KAKAO_ADMIN_KEY}",
        "KakaoAK 키",
    ],
)
def test_kakao_refuses_a_missing_or_wrong_admin_key(authorization: str | None) -> None:
    with pytest.raises(NoticeSignatureInvalidError):
        KAKAO.verify(kakao(kakao_notice("42"), authorization))


def test_kakao_refuses_another_apps_notice() -> None:
    for fields in ({**kakao_notice("42"), "app_id": "7654321"}, {"user_id": "42"}):
        with pytest.raises(NoticeSignatureInvalidError):
            KAKAO.verify(kakao(fields, kakao_authorization()))


@pytest.mark.parametrize("user_id", [None, "", "4\x002", "x" * 256, "\u202e42"])
def test_kakao_without_a_usable_member_number_is_malformed(user_id: str | None) -> None:
    fields = kakao_notice("42")
    if user_id is None:
        del fields["user_id"]
    else:
        fields["user_id"] = user_id
    with pytest.raises(NoticeMalformedError):
        KAKAO.verify(kakao(fields, kakao_authorization()))


# Naver


def test_naver_accepts_its_signature_and_decrypts_the_member_id() -> None:
    fields = naver_notice(NAVER_ID, STAMP)
    notice = NAVER.verify(naver(fields))
    assert (notice.provider, notice.provider_user_id, notice.reason) == (
        "naver",
        NAVER_ID,
        "deauthorize",
    )
    assert notice.issued_at == datetime.fromtimestamp(STAMP, UTC)
    assert notice.replay_key is not None
    assert notice.replay_key == NAVER.verify(naver(dict(fields))).replay_key
    other = NAVER.verify(naver(naver_notice(NAVER_ID, STAMP)))  # a fresh IV: another notice
    assert other.replay_key != notice.replay_key


def test_naver_reads_base64_in_either_alphabet_padded_or_not() -> None:
    fields = naver_notice(NAVER_ID, STAMP)
    raw_signature = base64.urlsafe_b64decode(fields["signature"] + "=")
    padded_standard = base64.b64encode(raw_signature).decode()
    assert NAVER.verify(naver({**fields, "signature": padded_standard})).provider_user_id == (
        NAVER_ID
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda f: {
            **f,
            "signature": naver_sign(
                NAVER_CLIENT_ID, f["encryptUniqueId"], f["timestamp"], "wrong-secret"
            ),
        },
        lambda f: {**f, "timestamp": str(int(f["timestamp"]) + 1)},
        lambda f: {**f, "encryptUniqueId": naver_encrypt("someone-else", NAVER_CLIENT_SECRET)},
        lambda f: {**f, "signature": f["signature"][:-2]},
        lambda f: {**f, "signature": "not base64 at all!"},
        lambda f: {k: v for k, v in f.items() if k != "signature"},
        lambda f: {k: v for k, v in f.items() if k != "timestamp"},
        lambda f: {**f, "clientId": "another-client"},
    ],
    ids=[
        "signed-with-another-secret",
        "timestamp-changed",
        "identifier-swapped",
        "signature-cut",
        "signature-garbage",
        "no-signature",
        "no-timestamp",
        "another-client-id",
    ],
)
def test_naver_refuses_what_its_signature_does_not_cover(tamper) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NoticeSignatureInvalidError):
        NAVER.verify(naver(tamper(naver_notice(NAVER_ID, STAMP))))


def test_naver_refuses_a_notice_signed_for_another_client_id_even_if_signed_right() -> None:
    fields = naver_notice(NAVER_ID, STAMP, client_id="another-client")
    with pytest.raises(NoticeSignatureInvalidError):
        NAVER.verify(naver(fields))


@pytest.mark.parametrize("timestamp", ["-5", "1.5", "soon", "9" * 13])
def test_naver_with_a_signed_timestamp_that_is_not_unix_seconds_is_malformed(
    timestamp: str,
) -> None:
    encrypted = naver_encrypt(NAVER_ID, NAVER_CLIENT_SECRET)
    fields = {
        "clientId": NAVER_CLIENT_ID,
        "encryptUniqueId": encrypted,
        "timestamp": timestamp,
        "signature": naver_sign(NAVER_CLIENT_ID, encrypted, timestamp, NAVER_CLIENT_SECRET),
    }
    with pytest.raises(NoticeMalformedError):
        NAVER.verify(naver(fields))


@pytest.mark.parametrize(
    "encrypted",
    [
        base64.urlsafe_b64encode(b"\x00" * 16).decode(),  # an IV and nothing else
        base64.urlsafe_b64encode(b"\x00" * 40).decode(),  # not whole blocks
        base64.urlsafe_b64encode(b"\x00" * 48).decode(),  # wrong padding once decrypted
        "%%%",
    ],
    ids=["iv-only", "partial-block", "bad-padding", "not-base64"],
)
def test_naver_with_a_signed_identifier_that_does_not_decrypt_is_malformed(
    encrypted: str,
) -> None:
    stamp = str(STAMP)
    fields = {
        "clientId": NAVER_CLIENT_ID,
        "encryptUniqueId": encrypted,
        "timestamp": stamp,
        "signature": naver_sign(NAVER_CLIENT_ID, encrypted, stamp, NAVER_CLIENT_SECRET),
    }
    with pytest.raises(NoticeMalformedError):
        NAVER.verify(naver(fields))


def test_verifiers_need_their_secrets() -> None:
    with pytest.raises(ValueError, match="admin key"):
        KakaoAdminKeyNoticeVerifier(admin_key="", app_id=KAKAO_APP_ID)
    with pytest.raises(ValueError, match="client id and secret"):
        NaverHmacNoticeVerifier(client_id=NAVER_CLIENT_ID, client_secret="")
