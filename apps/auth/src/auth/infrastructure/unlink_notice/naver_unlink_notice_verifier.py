"""Naver's deauthorize callback ("연결 끊기 알림", Naver Login developer guide §4.4):
a form POST of `clientId`, `encryptUniqueId`, `timestamp` and `signature`.

As Naver specifies it (MD5 and CBC are Naver's choice, not ours):

- key: the first 16 bytes of MD5(client secret), for both the signature and the
  identifier;
- `signature`: HMAC-SHA256 with that key over
  `clientId={clientId}&encryptUniqueId={encryptUniqueId}&timestamp={timestamp}` (the
  values exactly as sent), in unpadded URL-safe Base64;
- `encryptUniqueId`: Base64 of a 16-byte IV followed by the AES-128-CBC (PKCS#7
  padded) encryption of the member's unique id, the profile's `response.id` a Naver
  login stored as the provider user id;
- `timestamp`: Unix seconds when Naver sent it.

Base64 is read leniently (either alphabet, padded or not), since Naver's examples
encode URL-safe and decode leniently; the signature is compared as bytes, in
constant time. The replay key is the expected signature, hex.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from datetime import UTC, datetime

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.padding import PKCS7

from auth.application.unlink_notice.dto.unlink_notice import (
    UnlinkNoticeRequest,
    VerifiedUnlinkNotice,
)
from auth.application.unlink_notice.exceptions.unlink_notice import (
    NoticeMalformedError,
    NoticeSignatureInvalidError,
)
from auth.application.unlink_notice.ports.unlink_notice_verifier import UnlinkNoticeVerifier
from auth.infrastructure.unlink_notice.provider_user_id import notice_provider_user_id

BLOCK = 16
REASON = "deauthorize"
MAX_FIELD_LEN = 1024  # a 64-character id encrypts to 108 Base64 characters


def naver_notice_key(client_secret: str) -> bytes:
    """MD5 of the client secret, its first 16 bytes (the AES-128 and HMAC key)."""
    return hashlib.md5(client_secret.encode()).digest()[:BLOCK]  # noqa: S324 - Naver's format


def _b64decode(value: str) -> bytes:
    """Either Base64 alphabet, with or without padding.

    :raises ValueError: not Base64.
    """
    normalized = value.strip().replace("-", "+").replace("_", "/").rstrip("=")
    try:
        return base64.b64decode(normalized + "=" * (-len(normalized) % 4), validate=True)
    except binascii.Error as error:
        raise ValueError("not Base64") from error


class NaverHmacNoticeVerifier(UnlinkNoticeVerifier):
    """Accepts a notice for this client id whose signature this client secret made."""

    def __init__(self, *, client_id: str, client_secret: str, provider: str = "naver") -> None:
        if not client_id or not client_secret:
            raise ValueError("Naver unlink notices need the client id and secret")
        self._client_id = client_id
        self._key = naver_notice_key(client_secret)
        self._provider = provider

    def verify(self, request: UnlinkNoticeRequest) -> VerifiedUnlinkNotice:
        fields = request.fields
        client_id = fields.get("clientId")
        encrypted = fields.get("encryptUniqueId")
        timestamp = fields.get("timestamp")
        signature = fields.get("signature")
        if not (client_id and encrypted and timestamp and signature) or any(
            len(value) > MAX_FIELD_LEN for value in (client_id, encrypted, timestamp, signature)
        ):
            raise NoticeSignatureInvalidError("The notice lacks a field or one is too long.")
        expected = hmac.new(
            self._key,
            f"clientId={client_id}&encryptUniqueId={encrypted}&timestamp={timestamp}".encode(),
            hashlib.sha256,
        ).digest()
        try:
            given = _b64decode(signature)
        except ValueError:
            given = b""
        if not hmac.compare_digest(given, expected):
            raise NoticeSignatureInvalidError("The notice's signature is not valid.")
        if not hmac.compare_digest(client_id.encode(), self._client_id.encode()):
            raise NoticeSignatureInvalidError("The notice is for another client id.")
        return VerifiedUnlinkNotice(
            provider=self._provider,
            provider_user_id=notice_provider_user_id(self._decrypt(encrypted)),
            reason=REASON,
            issued_at=_issued_at(timestamp),
            replay_key=expected.hex(),
        )

    def _decrypt(self, encrypted: str) -> str:
        """:raises NoticeMalformedError: it does not decrypt to UTF-8 text."""
        try:
            packed = _b64decode(encrypted)
            if len(packed) < 2 * BLOCK or len(packed) % BLOCK:
                raise ValueError("not an IV and whole blocks")
            decryptor = Cipher(algorithms.AES(self._key), modes.CBC(packed[:BLOCK])).decryptor()
            padded = decryptor.update(packed[BLOCK:]) + decryptor.finalize()
            unpadder = PKCS7(algorithms.AES.block_size).unpadder()
            return (unpadder.update(padded) + unpadder.finalize()).decode("utf-8")
        except ValueError as error:  # Base64, length, padding or UTF-8
            raise NoticeMalformedError("The notice's identifier does not decrypt.") from error


def _issued_at(timestamp: str) -> datetime:
    """:raises NoticeMalformedError: not Unix seconds."""
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise NoticeMalformedError("The notice's timestamp is not Unix seconds.")
    return datetime.fromtimestamp(int(timestamp), tz=UTC)
