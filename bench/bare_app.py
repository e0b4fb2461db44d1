"""The ceiling for the validate benchmark: a bare FastAPI app with one empty endpoint."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.responses import Response


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/ok")
    async def ok() -> Response:
        return Response(status_code=200)

    return app
