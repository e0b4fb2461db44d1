"""A body FastAPI cannot parse (not UTF-8, nested past the parser's recursion limit)
is 422 REQUEST_INVALID in `{code, detail}`, not FastAPI's 400 nor a 500."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from servicekit.errors import install_error_handlers
from testkit.hostile_input import HOSTILE_BODIES, assert_no_traceback


class Body(BaseModel):
    name: str


def app_with_a_body() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, str]:
        return {"name": body.name}

    return app


@HOSTILE_BODIES
async def test_an_unreadable_body_is_422_request_invalid(
    caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    transport = httpx.ASGITransport(app=app_with_a_body(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post(
            "/things", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422
    assert response.json()["code"] == "REQUEST_INVALID"
    assert response.json().keys() == {"code", "detail"}
    assert_no_traceback(caplog)
