"""Compact JWS with EdDSA (Ed25519), RFC 7515/8037: just what auth's tokens need.

Verification works on the exact bytes received: the signature covers
`header.payload` as transmitted, every segment must be strict base64url, the
header must say `alg: EdDSA` and carry no `crit`. Written on `cryptography`
directly because it sits on the hot path of `/validate` and `/refresh`, where a
general-purpose JOSE library spends more time than the signature itself.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "EdDSA"
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")
_SIGNATURE_LENGTH = 64


class JwsError(ValueError):
    """The token is not a well-formed, correctly signed EdDSA JWS."""


def b64url(raw: bytes) -> str:
    """Unpadded base64url (RFC 7515 section 2), as JOSE writes binary values."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(segment: str) -> bytes:
    if not _SEGMENT.fullmatch(segment):
        raise JwsError("a segment is not base64url")
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JwsError("a segment is not base64url") from exc


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise JwsError("a segment is not JSON") from exc
    if not isinstance(value, dict):
        raise JwsError("a segment is not a JSON object")
    return value


def sign(payload: dict[str, Any], key: Ed25519PrivateKey, *, kid: str, typ: str) -> str:
    header = {"alg": ALGORITHM, "kid": kid, "typ": typ}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(payload, separators=(",", ":")).encode())
    )
    return signing_input + "." + b64url(key.sign(signing_input.encode("ascii")))


def read_header(token: str) -> dict[str, Any]:
    """The protected header, unverified; raises JwsError unless it is an EdDSA JWS."""
    parts = token.split(".")
    if len(parts) != 3:
        raise JwsError("not a compact JWS")
    header = _json_object(_b64decode(parts[0]))
    if header.get("alg") != ALGORITHM:
        raise JwsError("the algorithm is not EdDSA")
    if "crit" in header:
        raise JwsError("critical header parameters are not supported")
    return header


def verify(token: str, key: Ed25519PublicKey) -> dict[str, Any]:
    """The payload of `token` if `key` signed it; raises JwsError otherwise."""
    parts = token.split(".")
    if len(parts) != 3:
        raise JwsError("not a compact JWS")
    header_b64, payload_b64, signature_b64 = parts
    payload = _b64decode(payload_b64)
    signature = _b64decode(signature_b64)
    if len(signature) != _SIGNATURE_LENGTH or not _SEGMENT.fullmatch(header_b64):
        raise JwsError("not an EdDSA JWS")
    try:
        key.verify(signature, f"{header_b64}.{payload_b64}".encode("ascii"))
    except InvalidSignature as exc:
        raise JwsError("the signature does not verify") from exc
    return _json_object(payload)
