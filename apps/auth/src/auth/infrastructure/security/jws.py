"""Compact JWS with EdDSA (Ed25519), RFC 7515/8037: just what auth's tokens need.

Verification works on the exact bytes received: the signature covers
`header.payload` as transmitted, every segment must be strict base64url, the
header must say `alg: EdDSA` and carry no `crit`. Tokens come from anyone, so
before any decoding a token must be at most `MAX_TOKEN_LENGTH` characters, and its
header and payload must be flat JSON objects (`kernel.flat_json`): anything else is
a `JwsMalformedError`. Written on the signature primitives directly because it sits
on the hot path of `/validate` and `/refresh`, where a general-purpose JOSE library
spends more time than the signature itself. A key is anything with the one method used
(`cryptography`'s Ed25519 keys, or `sodium_ed25519`'s faster ones).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from cryptography.exceptions import InvalidSignature

from kernel.flat_json import loads_flat_object

ALGORITHM = "EdDSA"
MAX_TOKEN_LENGTH = 8192
"""Longest token read at all; auth's own tokens are well under 1 KB."""
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")
_SIGNATURE_LENGTH = 64


class Signer(Protocol):
    """An Ed25519 private key, as used here."""

    def sign(self, data: bytes) -> bytes: ...


class Verifier(Protocol):
    """An Ed25519 public key, as used here: `verify` raises `InvalidSignature`."""

    def verify(self, signature: bytes, data: bytes) -> None: ...


class JwsError(ValueError):
    """The token is not a well-formed, correctly signed EdDSA JWS."""


class JwsMalformedError(JwsError):
    """Not a compact JWS at all: too long, not three base64url segments, or a
    header or payload that is not a flat JSON object."""


def b64url(raw: bytes) -> str:
    """Unpadded base64url (RFC 7515 section 2), as JOSE writes binary values."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _segments(token: str) -> list[str]:
    if len(token) > MAX_TOKEN_LENGTH:
        raise JwsMalformedError(f"longer than {MAX_TOKEN_LENGTH} characters")
    parts = token.split(".")
    if len(parts) != 3:
        raise JwsMalformedError("not a compact JWS")
    return parts


def _b64decode(segment: str) -> bytes:
    if not _SEGMENT.fullmatch(segment):
        raise JwsMalformedError("a segment is not base64url")
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JwsMalformedError("a segment is not base64url") from exc


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        # RFC 7515 segments are UTF-8; decoding first spares json.loads' encoding detection.
        return loads_flat_object(raw.decode("utf-8"))
    except ValueError as exc:
        raise JwsMalformedError(f"a segment is not a flat JSON object: {exc}") from exc


@functools.lru_cache(maxsize=16)
def _encoded_header(kid: str, typ: str) -> str:
    """The first segment; a process signs with one key and two types, so it is encoded once."""
    header = {"alg": ALGORITHM, "kid": kid, "typ": typ}
    return b64url(json.dumps(header, separators=(",", ":")).encode())


def sign(payload: dict[str, Any], key: Signer, *, kid: str, typ: str) -> str:
    signing_input = (
        _encoded_header(kid, typ)
        + "."
        + b64url(json.dumps(payload, separators=(",", ":")).encode())
    ).encode("ascii")
    return (
        signing_input + b"." + base64.urlsafe_b64encode(key.sign(signing_input)).rstrip(b"=")
    ).decode("ascii")


def read_header(token: str) -> Mapping[str, Any]:
    """The protected header, unverified; raises JwsError unless it is an EdDSA JWS."""
    return _header(_segments(token)[0])


@functools.lru_cache(maxsize=64)
def _header(segment: str) -> Mapping[str, Any]:
    """A process's tokens share a few first segments (one per key and type): each is
    decoded once. Read-only, as it is shared; a rejected segment is not remembered."""
    header = _json_object(_b64decode(segment))
    if header.get("alg") != ALGORITHM:
        raise JwsError("the algorithm is not EdDSA")
    if "crit" in header:
        raise JwsError("critical header parameters are not supported")
    return MappingProxyType(header)


class SignedJws(NamedTuple):
    """A compact JWS split and decoded; its signature not yet checked, its payload not parsed."""

    signing_input: bytes
    signature: bytes
    payload: bytes


def parse(token: str) -> SignedJws:
    """What `check_signature` needs; raises JwsError unless it is an EdDSA compact JWS."""
    header_b64, payload_b64, signature_b64 = _segments(token)
    payload = _b64decode(payload_b64)
    signature = _b64decode(signature_b64)
    if not _SEGMENT.fullmatch(header_b64):
        raise JwsMalformedError("a segment is not base64url")
    if len(signature) != _SIGNATURE_LENGTH:
        raise JwsError("not an EdDSA JWS")
    return SignedJws(f"{header_b64}.{payload_b64}".encode("ascii"), signature, payload)


def check_signature(signed: SignedJws, key: Verifier) -> None:
    """Raises JwsError unless `key` signed it. Both `cryptography` and libsodium (through
    cffi) release the GIL while they verify, so this may run on a worker thread beside
    the event loop."""
    try:
        key.verify(signed.signature, signed.signing_input)
    except InvalidSignature as exc:
        raise JwsError("the signature does not verify") from exc


def payload_of(signed: SignedJws) -> dict[str, Any]:
    """The claims, once the signature checked; raises JwsMalformedError unless a flat object."""
    return _json_object(signed.payload)


def verify(token: str, key: Verifier) -> dict[str, Any]:
    """The payload of `token` if `key` signed it; raises JwsError otherwise."""
    signed = parse(token)
    check_signature(signed, key)
    return payload_of(signed)
