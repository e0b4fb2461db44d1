"""The OpenAPI document tells the truth about errors: every 4xx/5xx is `{code, detail}`.

Routes declare which statuses they answer (with descriptions and examples of the
codes); this fills in the one error schema for each of them, and replaces the
default 422 FastAPI documents (`HTTPValidationError`, which this service never
sends: `servicekit.errors` answers `REQUEST_INVALID` in the same `{code, detail}`).
A 429 also gets the headers every `RATE_LIMITED` answer carries.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

ERROR_SCHEMA = "ErrorResponse"
ERROR_REF = f"#/components/schemas/{ERROR_SCHEMA}"
_FASTAPI_422 = ("HTTPValidationError", "ValidationError")


class ErrorResponse(BaseModel):
    """The body of every error response."""

    code: str = Field(description="Stable machine-readable code; branch on this.")
    detail: str = Field(description="Human-readable explanation.")


_SECONDS = {"type": "integer", "minimum": 1}
RATE_LIMIT_HEADERS: dict[str, dict[str, Any]] = {
    "Retry-After": {
        "description": "Seconds until a request is admitted again.",
        "schema": _SECONDS,
    },
    "RateLimit-Limit": {"description": "Requests the window admits.", "schema": _SECONDS},
    "RateLimit-Remaining": {
        "description": "Requests left in the window: 0.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the window admits one more.",
        "schema": _SECONDS,
    },
}


def _is_error(status: str) -> bool:
    return status[:1] in {"4", "5"}


def describe_errors(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with `ErrorResponse` as the body of each of its 4xx/5xx responses."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_422:
        schemas.pop(name, None)
    schemas[ERROR_SCHEMA] = ErrorResponse.model_json_schema()
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                if not _is_error(status):
                    continue
                if status == "422" and response.get("description") == "Validation Error":
                    response["description"] = (
                        "REQUEST_INVALID: the request does not match the schema."
                    )
                body = response.setdefault("content", {}).setdefault("application/json", {})
                body["schema"] = {"$ref": ERROR_REF}
                if status == "429":
                    response.setdefault("headers", {}).update(copy.deepcopy(RATE_LIMIT_HEADERS))
    return document


def install_openapi(app: FastAPI, extra_paths: Mapping[str, Mapping[str, Any]]) -> None:
    """Make `app.openapi()` add `extra_paths` (routes FastAPI does not document, such
    as plain Starlette endpoints) and describe every error as `{code, detail}`."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            document.setdefault("paths", {}).update(copy.deepcopy(dict(extra_paths)))
            app.openapi_schema = describe_errors(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
