"""A stand-in OAuth/OIDC provider speaking Google's, Kakao's, Naver's (OpenID Connect
or legacy) or plain OpenID Connect request and response shapes, served over real HTTP
in tests.

`/authorize` approves at once (302 to the redirect URI with code and state);
`/token` checks the code, client credentials, redirect URI and PKCE verifier
like a real server; id_tokens are RS256 JWTs signed with a key from `/jwks`.
Naver's OpenID Connect kind serves Naver's discovery document (its paths
`/oauth2/authorize`, `/oauth2/token`, `/oauth2/jwks`, and its member profile API as
`userinfo_endpoint`), wants `client_secret_post` and the state in the token request,
and puts no e-mail in the id_token.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

Kind = Literal["oidc", "google", "kakao", "naver", "naver_oidc"]
CLIENT_ID = "client-123"
CLIENT_SECRET = "secret/with+chars"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class FakeOAuthProvider:
    kind: Kind
    base_url: str = ""  # set once served
    subject: str = "24680"
    email: str = "eco@example.com"
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = "key-1"
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    # Knobs for failure tests:
    claims_override: dict[str, Any] = field(default_factory=dict)
    tamper_id_token: bool = False
    sign_with_foreign_key: bool = False
    profile_subject: str | None = None
    token_status: int | None = None  # answer every token request with this status
    jwks_fetches: int = 0

    @property
    def issuer(self) -> str:
        return self.base_url

    def app(self) -> Starlette:
        routes = [
            Route("/authorize", self.authorize, methods=["GET"]),
            Route("/token", self.token, methods=["POST"]),
            Route("/jwks", self.jwks, methods=["GET"]),
            Route("/.well-known/openid-configuration", self.discovery, methods=["GET"]),
            Route("/userinfo", self.userinfo, methods=["GET"]),
            Route("/v2/user/me", self.kakao_me, methods=["GET", "POST"]),
            Route("/v1/nid/me", self.naver_me, methods=["GET"]),
            Route("/oauth2/authorize", self.authorize, methods=["GET"]),
            Route("/oauth2/token", self.token, methods=["POST"]),
            Route("/oauth2/jwks", self.jwks, methods=["GET"]),
        ]
        return Starlette(routes=routes)

    # --- endpoints -----------------------------------------------------------------

    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "client_id": query.get("client_id"),
            "redirect_uri": query.get("redirect_uri"),
            "challenge": query.get("code_challenge"),
            "challenge_method": query.get("code_challenge_method"),
            "nonce": query.get("nonce"),
            "scope": query.get("scope"),
            "state": query.get("state"),
        }
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return RedirectResponse(target, status_code=302)

    async def token(self, request: Request) -> Response:
        assert request.headers.get("content-type") == "application/x-www-form-urlencoded"
        form = dict(parse_qsl((await request.body()).decode(), strict_parsing=True))
        self.token_requests.append(
            {"form": form, "authorization": request.headers.get("authorization")}
        )
        if self.token_status is not None:
            return JSONResponse({"error": "server_error"}, self.token_status)
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        header = request.headers.get("authorization", "")
        if header.startswith("Basic "):
            decoded = base64.b64decode(header[6:]).decode()
            client_id, client_secret = (unquote(part) for part in decoded.split(":", 1))
        grant = self.codes.pop(str(form.get("code")), None)
        error: str | None = None
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            error = "invalid_client"
        elif (
            grant is None
            or grant["client_id"] != client_id
            or self.kind != "naver"
            and form.get("redirect_uri") != grant["redirect_uri"]
        ):
            error = "invalid_grant"
        elif self.kind in ("naver", "naver_oidc") and form.get("state") != grant["state"]:
            error = "invalid_request"
        elif self.kind == "naver_oidc" and header.startswith("Basic "):
            error = "invalid_client"  # Naver takes client_secret_post only
        elif grant["challenge"] is not None:
            verifier = str(form.get("code_verifier", ""))
            if _b64url(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
                error = "invalid_grant"
        if error is not None:
            # Naver answers errors with 200; the others with 400, like the real ones.
            status = 200 if self.kind == "naver" else 400
            return JSONResponse({"error": error, "error_description": "refused"}, status)
        body: dict[str, Any] = {
            "access_token": "at-" + secrets.token_urlsafe(8),
            "refresh_token": "rt-" + secrets.token_urlsafe(8),
            "token_type": "bearer" if self.kind in ("kakao", "naver", "naver_oidc") else "Bearer",
            "expires_in": 3600,
        }
        if self.kind != "naver" and grant is not None:
            body["id_token"] = self._id_token(grant["nonce"])
        return JSONResponse(body)

    async def jwks(self, _: Request) -> Response:
        self.jwks_fetches += 1
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return JSONResponse({"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]})

    async def discovery(self, _: Request) -> Response:
        if self.kind == "naver_oidc":
            return JSONResponse(
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.base_url}/oauth2/authorize",
                    "token_endpoint": f"{self.base_url}/oauth2/token",
                    "jwks_uri": f"{self.base_url}/oauth2/jwks",
                    "userinfo_endpoint": f"{self.base_url}/v1/nid/me",
                    "response_types_supported": ["code"],
                    "scopes_supported": ["openid", "profile"],
                    "grant_types_supported": ["authorization_code"],
                    "token_endpoint_auth_methods_supported": ["client_secret_post", "none"],
                    "code_challenge_methods_supported": ["S256"],
                    "subject_types_supported": ["pairwise"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.base_url}/authorize",
                "token_endpoint": f"{self.base_url}/token",
                "jwks_uri": f"{self.base_url}/jwks",
                "userinfo_endpoint": f"{self.base_url}/userinfo",
                "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def userinfo(self, request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer at-"):
            return JSONResponse({"error": "invalid_token"}, 401)
        return JSONResponse(
            {
                "sub": self.profile_subject or self.subject,
                "email": self.email,
                "email_verified": True,
                "name": "Eco Tester",
                "picture": "https://img.example/eco.png",
            }
        )

    async def kakao_me(self, request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer at-"):
            return JSONResponse({"msg": "this access token does not exist", "code": -401}, 401)
        return JSONResponse(
            {
                "id": int(self.profile_subject or self.subject),
                "connected_at": "2026-01-01T00:00:00Z",
                "kakao_account": {
                    "profile_nickname_needs_agreement": False,
                    "profile": {
                        "nickname": "에코",
                        "profile_image_url": "http://k.kakaocdn.net/img.jpg",
                        "is_default_image": False,
                    },
                    "has_email": True,
                    "email_needs_agreement": False,
                    "is_email_valid": True,
                    "is_email_verified": True,
                    "email": self.email,
                },
            }
        )

    async def naver_me(self, request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer at-"):
            return JSONResponse(
                {"resultcode": "024", "message": "Authentication failed"}, status_code=401
            )
        return JSONResponse(
            {
                "resultcode": "00",
                "message": "success",
                "response": {
                    "id": self.profile_subject or self.naver_id,
                    "nickname": "네이버에코",
                    "name": "에코",
                    "email": self.email,
                    "profile_image": "https://phinf.pstatic.net/eco.png",
                },
            }
        )

    # --- helpers -------------------------------------------------------------------

    @property
    def naver_id(self) -> str:
        """The member's id at Naver: the profile's `response.id` and the id_token's `sub`."""
        return "naver-" + self.subject

    def _id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": self.naver_id if self.kind == "naver_oidc" else self.subject,
            "iat": now,
            "exp": now + 600,
            "auth_time": now,
        }
        if nonce is not None:
            claims["nonce"] = nonce
        if self.kind == "kakao":
            claims |= {"nickname": "에코", "picture": "http://k.kakaocdn.net/img.jpg"}
        elif self.kind != "naver_oidc":  # Naver's id_token holds no profile claims
            claims |= {"email": self.email, "email_verified": True, "name": "Eco Tester"}
        claims |= self.claims_override
        key = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            if self.sign_with_foreign_key
            else self.key
        )
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        if self.tamper_id_token:
            header, payload, signature = token.split(".")
            forged = jwt.utils.base64url_decode(payload.encode())
            forged = forged.replace(self.subject.encode(), b"99999")
            token = ".".join([header, _b64url(forged), signature])
        return token
