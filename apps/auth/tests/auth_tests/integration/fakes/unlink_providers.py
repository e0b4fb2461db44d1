"""Stand-ins for Kakao's, Naver's and Google's endpoints that end a link, speaking their
documented shapes over real HTTP (Apple's revocation is `FakeApple`'s `/auth/revoke`).

- Kakao `POST /v1/user/unlink`: `Authorization: KakaoAK <admin key>` (else 401
  `{"code": -401}`), form `target_id_type=user_id&target_id=<id>`; 200 `{"id": <id>}`
  for a linked user, 400 `{"code": -101}` (not linked to the app) otherwise.
- Naver `POST /oauth2.0/token`: `grant_type=refresh_token` gives an access token for a
  live refresh token, else `{"error": "invalid_request", "error_description": "no valid
  data in session"}` with status 200, as Naver answers; `grant_type=delete` with that
  access token and `service_provider=NAVER` deletes the grant: `{"access_token": …,
  "result": "success"}`. A wrong client is `invalid_client`.
- Google `POST /revoke`: form `token`; 200 for a live token, 400 `{"error":
  "invalid_token"}` for one already expired or revoked.

`outage[path] = n` makes the next `n` calls of that path answer 503.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

KAKAO_ADMIN_KEY = "kakao-admin-key-1"
NAVER_CLIENT_ID = "naver-client"
NAVER_CLIENT_SECRET = "naver-secret"
KAKAO_PATH, NAVER_PATH, GOOGLE_PATH = "/v1/user/unlink", "/oauth2.0/token", "/revoke"


@dataclass
class FakeUnlinkProviders:
    base_url: str = ""  # set once served
    kakao_linked: set[str] = field(default_factory=set)
    naver_refresh_tokens: set[str] = field(default_factory=set)
    naver_access_tokens: dict[str, str] = field(default_factory=dict)  # access -> refresh
    google_tokens: set[str] = field(default_factory=set)
    outage: Counter[str] = field(default_factory=Counter)
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(KAKAO_PATH, self.kakao_unlink, methods=["POST"]),
                Route(NAVER_PATH, self.naver_token, methods=["POST"]),
                Route(GOOGLE_PATH, self.google_revoke, methods=["POST"]),
            ]
        )

    def calls_to(self, path: str) -> list[dict[str, str]]:
        return [form for called, form in self.calls if called == path]

    async def _form(self, request: Request) -> dict[str, str] | Response:
        assert request.headers.get("content-type") == "application/x-www-form-urlencoded"
        form = dict(parse_qsl((await request.body()).decode(), strict_parsing=True))
        self.calls.append((request.url.path, form))
        if self.outage[request.url.path] > 0:
            self.outage[request.url.path] -= 1
            return JSONResponse({"error": "temporarily_unavailable"}, 503)
        return form

    async def kakao_unlink(self, request: Request) -> Response:
        form = await self._form(request)
        if isinstance(form, Response):
            return form
        if request.headers.get("authorization") != f"KakaoAK {KAKAO_ADMIN_KEY}":
            return JSONResponse({"msg": "wrong appKey", "code": -401}, 401)
        if form.get("target_id_type") != "user_id" or not form.get("target_id", "").isdigit():
            return JSONResponse({"msg": "invalid target_id", "code": -2}, 400)
        if form["target_id"] not in self.kakao_linked:
            return JSONResponse({"msg": "NotRegisteredUserException", "code": -101}, 400)
        self.kakao_linked.discard(form["target_id"])
        return JSONResponse({"id": int(form["target_id"])})

    async def naver_token(self, request: Request) -> Response:
        form = await self._form(request)
        if isinstance(form, Response):
            return form
        if (form.get("client_id"), form.get("client_secret")) != (
            NAVER_CLIENT_ID,
            NAVER_CLIENT_SECRET,
        ):
            return JSONResponse({"error": "invalid_client", "error_description": "client"})
        if form.get("grant_type") == "refresh_token":
            refresh = form.get("refresh_token", "")
            if refresh not in self.naver_refresh_tokens:
                return JSONResponse(
                    {"error": "invalid_request", "error_description": "no valid data in session"}
                )
            access = "nat-" + secrets.token_hex(8)
            self.naver_access_tokens[access] = refresh
            return JSONResponse(
                {"access_token": access, "token_type": "bearer", "expires_in": "3600"}
            )
        if form.get("grant_type") == "delete" and form.get("service_provider") == "NAVER":
            access = form.get("access_token", "")
            if access not in self.naver_access_tokens:
                return JSONResponse({"error": "invalid_request", "error_description": "token"})
            refresh = self.naver_access_tokens.pop(access)
            self.naver_refresh_tokens.discard(refresh)
            return JSONResponse({"access_token": form["access_token"], "result": "success"})
        return JSONResponse({"error": "unsupported_grant_type"})

    async def google_revoke(self, request: Request) -> Response:
        form = await self._form(request)
        if isinstance(form, Response):
            return form
        if form.get("token") not in self.google_tokens:
            return JSONResponse(
                {"error": "invalid_token", "error_description": "Token expired or revoked"}, 400
            )
        self.google_tokens.discard(form["token"])
        return JSONResponse({})
