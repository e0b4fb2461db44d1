"""A stand-in users service speaking the internal identity API contract."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kernel.text import has_unsafe_characters

TOKEN = "test-service-token"


@dataclass
class FakeUsersApi:
    """In-memory users: get-or-create by (provider, provider_user_id); scripted failures.
    Like the real one, it answers 422 REQUEST_INVALID to profile text it cannot store,
    and 403 with the body in ``refusals`` to a sign-in of a user listed there (an
    account pending deletion or disabled)."""

    token: str = TOKEN
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_identity: dict[tuple[str, str], str] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)
    identity_requests: list[dict[str, Any]] = field(default_factory=list)  # bodies, in order
    requests: list[tuple[str, str]] = field(default_factory=list)
    fail_with: list[int] = field(default_factory=list)
    refusals: dict[str, dict[str, Any]] = field(default_factory=dict)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/internal/v1/identities", self.identities, methods=["POST"]),
                Route("/internal/v1/users/{user_id}/logins", self.login, methods=["POST"]),
            ]
        )

    def _refuse(self, request: Request) -> Response | None:
        self.requests.append((request.method, request.url.path))
        if request.headers.get("x-service-token") != self.token:
            return JSONResponse({"code": "UNAUTHENTICATED", "detail": "bad token"}, 401)
        if self.fail_with:
            status = self.fail_with.pop(0)
            return JSONResponse({"code": "BROKEN", "detail": "scripted"}, status)
        return None

    async def identities(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        body = await request.json()
        self.identity_requests.append(body)
        if any(isinstance(v, str) and has_unsafe_characters(v) for v in body.values()):
            return JSONResponse({"code": "REQUEST_INVALID", "detail": "unsafe text"}, 422)
        key = (body["provider"], body["provider_user_id"])
        created = key not in self.by_identity
        if created:
            user_id = str(uuid.uuid4())
            self.by_identity[key] = user_id
            self.users[user_id] = {
                "user_id": user_id,
                "nickname": body["nickname"],
                "display_name": body["nickname"],
                "email": body["email"] if body["email_verified"] else None,
            }
        user = self.users[self.by_identity[key]]
        if refusal := self.refusals.get(user["user_id"]):
            return JSONResponse(refusal, 403)
        return JSONResponse({**user, "created": created})

    async def login(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        body = await request.json()
        if refusal := self.refusals.get(request.path_params["user_id"]):
            return JSONResponse(refusal, 403)
        self.logins.append((request.path_params["user_id"], body["provider"]))
        return Response(status_code=204)
