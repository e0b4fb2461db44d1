"""A stand-in Sign in with Apple server speaking Apple's REST API shapes over real HTTP.

`GET /auth/authorize` answers what Apple's page ends with after the user approves: an
auto-submitting HTML form that POSTs `code`, `state`, `id_token` and, on the user's
first authorization only, `user` (JSON with `name.firstName`, `name.lastName`, `email`)
to the redirect URI; like Apple, it refuses the `name`/`email` scopes without
`response_mode=form_post`. `POST /auth/token` authenticates the client secret the way
Apple does (an ES256 JWT verified with the team's public key: `kid`, `iss` team id,
`sub` client id, `aud`, `iat`/`exp` at most six months apart) and answers
`access_token`, `refresh_token` and an id_token whose booleans are strings, as Apple's
often are. `GET /auth/keys` is the JWKS (RS256 like Apple's, or ES256).
`POST /auth/revoke` revokes a refresh token it issued: the same client authentication,
200 whether the token was live or not (as Apple answers), 400 `invalid_client` else.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import parse_qsl

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

TEAM_ID = "TEAM123456"
CLIENT_ID = "com.eco2.web"  # the Services ID
KEY_ID = "KEY7654321"
MAX_SECRET_LIFETIME = 15_777_000


def _b64url_sha256(value: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(value.encode()).digest()).rstrip(b"=").decode()


def _new_team_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@dataclass
class FakeApple:
    base_url: str = ""  # set once served; also the issuer and the client secret's audience
    team_key: ec.EllipticCurvePrivateKey = field(default_factory=_new_team_key)
    id_token_alg: Literal["RS256", "ES256"] = "RS256"
    kid: str = "apple-key-1"
    subject: str = "001234.5e201aec537347aeb79d23cbc345170a.0042"
    email: str = "x7k2p9q4mz@privaterelay.appleid.com"
    email_verified: object = "true"
    is_private_email: object = "true"
    first_name: str = "Eco"
    last_name: str = "Kim"
    # Knobs for failure tests:
    claims_override: dict[str, Any] = field(default_factory=dict)
    sign_with_foreign_key: bool = False
    token_status: int | None = None
    revoke_status: int | None = None  # answer every revocation with this status
    issued_refresh_tokens: set[str] = field(default_factory=set)
    revoked: list[str] = field(default_factory=list)
    # What it saw:
    authorized: set[str] = field(default_factory=set)  # subjects that approved before
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    client_secrets: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._ec = ec.generate_private_key(ec.SECP256R1())

    @property
    def issuer(self) -> str:
        return self.base_url

    @property
    def team_key_pem(self) -> str:
        """The team's Sign in with Apple key as the developer downloads it (PKCS#8 PEM)."""
        return self.team_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    def settings(self) -> dict[str, Any]:
        """auth's `AUTH_OAUTH__APPLE__…` settings pointing at this server."""
        return {
            "client_id": CLIENT_ID,
            "team_id": TEAM_ID,
            "key_id": KEY_ID,
            "private_key": self.team_key_pem,
            "issuer": self.issuer,
            "authorization_url": f"{self.base_url}/auth/authorize",
            "token_url": f"{self.base_url}/auth/token",
            "jwks_url": f"{self.base_url}/auth/keys",
            "revocation_url": f"{self.base_url}/auth/revoke",
        }

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/auth/authorize", self.authorize, methods=["GET"]),
                Route("/auth/token", self.token, methods=["POST"]),
                Route("/auth/keys", self.keys, methods=["GET"]),
                Route("/auth/revoke", self.revoke, methods=["POST"]),
            ]
        )

    # --- endpoints -----------------------------------------------------------------

    async def authorize(self, request: Request) -> Response:
        query = dict(request.query_params)
        self.authorize_requests.append(query)
        scopes = set(query.get("scope", "").split())
        if scopes & {"name", "email"} and query.get("response_mode") != "form_post":
            return JSONResponse(
                {
                    "error": "invalid_request",
                    "error_description": "response_mode must be form_post",
                },
                400,
            )
        code = "c" + secrets.token_hex(16) + ".0.mxzs." + secrets.token_urlsafe(16)
        self.codes[code] = query
        fields = {
            "state": query["state"],
            "code": code,
            "id_token": self._id_token(query.get("nonce")),
        }
        if self.subject not in self.authorized:  # the name comes once, on the first approval
            self.authorized.add(self.subject)
            fields["user"] = json.dumps(
                {
                    "name": {"firstName": self.first_name, "lastName": self.last_name},
                    "email": self.email,
                }
            )
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
            for name, value in fields.items()
        )
        page = (
            f'<html><body onload="document.forms[0].submit()">'
            f'<form method="POST" action="{html.escape(query["redirect_uri"])}">{inputs}</form>'
            f"</body></html>"
        )
        return HTMLResponse(page)

    async def token(self, request: Request) -> Response:
        assert request.headers.get("content-type") == "application/x-www-form-urlencoded"
        form = dict(parse_qsl((await request.body()).decode(), strict_parsing=True))
        self.token_requests.append(form)
        if self.token_status is not None:
            return JSONResponse({"error": "server_error"}, self.token_status)
        if form.get("client_id") != CLIENT_ID or not self._client_secret_ok(
            form.get("client_secret", "")
        ):
            return JSONResponse({"error": "invalid_client"}, 400)
        grant = self.codes.pop(form.get("code", ""), None)
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return JSONResponse({"error": "invalid_grant"}, 400)
        if (
            "code_challenge" in grant
            and _b64url_sha256(form.get("code_verifier", "")) != grant["code_challenge"]
        ):
            return JSONResponse({"error": "invalid_grant"}, 400)
        refresh_token = "r" + secrets.token_hex(16)
        self.issued_refresh_tokens.add(refresh_token)
        return JSONResponse(
            {
                "access_token": "a" + secrets.token_hex(16),
                "token_type": "Bearer",
                "expires_in": 3600,
                "refresh_token": refresh_token,
                "id_token": self._id_token(grant.get("nonce")),
            }
        )

    async def revoke(self, request: Request) -> Response:
        assert request.headers.get("content-type") == "application/x-www-form-urlencoded"
        form = dict(parse_qsl((await request.body()).decode(), strict_parsing=True))
        if self.revoke_status is not None:
            return JSONResponse({"error": "server_error"}, self.revoke_status)
        if form.get("client_id") != CLIENT_ID or not self._client_secret_ok(
            form.get("client_secret", "")
        ):
            return JSONResponse({"error": "invalid_client"}, 400)
        if form.get("token_type_hint") != "refresh_token" or not form.get("token"):
            return JSONResponse({"error": "invalid_request"}, 400)
        if form["token"] in self.issued_refresh_tokens:
            self.issued_refresh_tokens.discard(form["token"])
            self.revoked.append(form["token"])
        return Response(status_code=200)

    async def keys(self, _: Request) -> Response:
        if self.id_token_alg == "RS256":
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self._rsa.public_key(), as_dict=True)
        else:
            jwk = jwt.algorithms.ECAlgorithm.to_jwk(self._ec.public_key(), as_dict=True)
        return JSONResponse(
            {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": self.id_token_alg}]}
        )

    # --- helpers -------------------------------------------------------------------

    def _client_secret_ok(self, secret: str) -> bool:
        """Apple's check of the client secret; the decoded header and claims are kept."""
        try:
            header = jwt.get_unverified_header(secret)
            claims = jwt.decode(
                secret,
                self.team_key.public_key(),
                algorithms=["ES256"],
                audience=self.issuer,
                issuer=TEAM_ID,
                options={"require": ["iss", "iat", "exp", "aud", "sub"]},
            )
        except jwt.PyJWTError:
            return False
        self.client_secrets.append((header, claims))
        return (
            header.get("kid") == KEY_ID
            and claims["sub"] == CLIENT_ID
            and 0 < claims["exp"] - claims["iat"] <= MAX_SECRET_LIFETIME
        )

    def _id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "exp": now + 600,
            "iat": now,
            "sub": self.subject,
            "at_hash": secrets.token_urlsafe(16),
            "email": self.email,
            "email_verified": self.email_verified,
            "is_private_email": self.is_private_email,
            "auth_time": now,
            "nonce_supported": True,
            "real_user_status": 2,
        }
        if nonce is not None:
            claims["nonce"] = nonce
        claims |= self.claims_override
        if self.id_token_alg == "RS256":
            key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = self._rsa
            if self.sign_with_foreign_key:
                key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            key = self._ec
            if self.sign_with_foreign_key:
                key = ec.generate_private_key(ec.SECP256R1())
        return jwt.encode(claims, key, algorithm=self.id_token_alg, headers={"kid": self.kid})


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values["action"]
        elif tag == "input":
            self.fields[values["name"]] = values["value"]


def posted_form(page: str) -> tuple[str, dict[str, str]]:
    """What a browser submits from Apple's auto-posting page: (action URL, fields)."""
    reader = _FormReader()
    reader.feed(page)
    return reader.action, reader.fields
