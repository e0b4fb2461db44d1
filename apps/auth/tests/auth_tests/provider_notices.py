"""Unlink notices as Kakao and Naver send them, built here from their documentation
(not from the code under test): Naver's with a real HMAC-SHA256 signature and a real
AES-128-CBC encrypted identifier."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.padding import PKCS7

NAVER_CLIENT_ID = "naver-client-id"
NAVER_CLIENT_SECRET = "naver-client-secret"
KAKAO_ADMIN_KEY = "kakao-admin-key-0123456789abcdef"
KAKAO_APP_ID = "1234567"


def _urlsafe(raw: bytes) -> str:
    """Unpadded URL-safe Base64, as Naver's examples write it."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def naver_key(client_secret: str) -> bytes:
    """Naver's key: the first 16 bytes of MD5(client secret)."""
    return hashlib.md5(client_secret.encode()).digest()[:16]  # noqa: S324 - Naver's format


def naver_encrypt(unique_id: str, client_secret: str, iv: bytes | None = None) -> str:
    """Base64(IV + AES-128-CBC(PKCS#7(unique id)))."""
    iv = iv or os.urandom(16)
    padder = PKCS7(128).padder()
    padded = padder.update(unique_id.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(naver_key(client_secret)), modes.CBC(iv)).encryptor()
    return _urlsafe(iv + encryptor.update(padded) + encryptor.finalize())


def naver_sign(client_id: str, encrypted: str, timestamp: str, client_secret: str) -> str:
    message = f"clientId={client_id}&encryptUniqueId={encrypted}&timestamp={timestamp}"
    digest = hmac.new(naver_key(client_secret), message.encode(), hashlib.sha256).digest()
    return _urlsafe(digest)


def naver_notice(
    unique_id: str,
    timestamp: int,
    *,
    client_id: str = NAVER_CLIENT_ID,
    client_secret: str = NAVER_CLIENT_SECRET,
    signing_secret: str | None = None,
) -> dict[str, str]:
    """The form Naver posts; ``signing_secret`` signs with another secret (a forgery)."""
    encrypted = naver_encrypt(unique_id, client_secret)
    stamp = str(timestamp)
    return {
        "clientId": client_id,
        "encryptUniqueId": encrypted,
        "timestamp": stamp,
        "signature": naver_sign(client_id, encrypted, stamp, signing_secret or client_secret),
    }


def kakao_notice(user_id: str, referrer_type: str = "UNLINK_FROM_APPS") -> dict[str, str]:
    """The fields Kakao sends (query string or form)."""
    return {"app_id": KAKAO_APP_ID, "user_id": user_id, "referrer_type": referrer_type}


def kakao_authorization(admin_key: str = KAKAO_ADMIN_KEY) -> str:
    return f"KakaoAK {admin_key}"
