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
    """In-memory users: get-or-create by (provider, provider_user_id), links (one per
    provider per user, never another user's identity), lookups and the end of a link (a
    user left with no identity is deleted); scripted failures. Like the real one, it
    answers 422 REQUEST_INVALID to profile text it cannot store, and 403 with the body in
    ``refusals`` to a sign-in of a user listed there (an account pending deletion or
    disabled)."""

    token: str = TOKEN
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_identity: dict[tuple[str, str], str] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)
    identity_requests: list[dict[str, Any]] = field(default_factory=list)  # bodies, in order
    requests: list[tuple[str, str]] = field(default_factory=list)
    fail_with: list[int] = field(default_factory=list)
    refusals: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/internal/v1/identities", self.identities, methods=["POST"]),
                Route("/internal/v1/identities", self.find, methods=["GET"]),
                Route("/internal/v1/identities", self.end_link, methods=["DELETE"]),
                Route("/internal/v1/users/{user_id}/logins", self.login, methods=["POST"]),
                Route("/internal/v1/users/{user_id}/social-accounts", self.link, methods=["POST"]),
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

    async def link(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        body = await request.json()
        user_id = request.path_params["user_id"]
        if user_id not in self.users:
            return _error(404, "USER_NOT_FOUND")
        key = (body["provider"], body["provider_user_id"])
        owner = self.by_identity.get(key)
        if owner is not None and owner != user_id:
            return _error(409, "ACCOUNT_ALREADY_LINKED")
        if owner is None and any(
            provider == key[0] and user == user_id
            for (provider, _), user in self.by_identity.items()
        ):
            return _error(409, "PROVIDER_ALREADY_LINKED")
        self.by_identity[key] = user_id
        answer = {"user_id": user_id, "provider": key[0], "linked": owner is None}
        return JSONResponse(answer, 201 if owner is None else 200)

    async def find(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        key = (request.query_params["provider"], request.query_params["provider_user_id"])
        if key not in self.by_identity:
            return _error(404, "IDENTITY_NOT_FOUND")
        return JSONResponse({"user_id": self.by_identity[key]})

    async def end_link(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        key = (request.query_params["provider"], request.query_params["provider_user_id"])
        user_id = self.by_identity.pop(key, None)
        if user_id is None:
            return _error(404, "IDENTITY_NOT_FOUND")
        deleted = user_id not in self.by_identity.values()
        if deleted:
            self.deleted.append(user_id)
            self.users.pop(user_id, None)
        return JSONResponse({"user_id": user_id, "user_deleted": deleted})


def _error(status: int, code: str) -> JSONResponse:
    return JSONResponse({"code": code, "detail": code.lower()}, status)
