"""HTTP calls every provider adapter makes, with failures turned into OAuthProviderError."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

import httpx

from auth.application.oauth.exceptions.oauth import OAuthProviderError


async def post_token_request(
    http: httpx.AsyncClient,
    url: str,
    form: dict[str, str],
    *,
    basic_auth: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """POST a form to a token endpoint and return its JSON object.

    ``basic_auth`` is sent as client_secret_basic (RFC 6749 2.3.1: both parts
    form-urlencoded first). An OAuth error answer (any status, body with
    ``error``) is a provider error too.
    """
    headers = {"Accept": "application/json"}
    if basic_auth is not None:
        credentials = f"{quote(basic_auth[0], safe='')}:{quote(basic_auth[1], safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    try:
        response = await http.post(url, data=form, headers=headers)
    except httpx.HTTPError as error:
        raise OAuthProviderError(f"token endpoint unreachable: {type(error).__name__}") from error
    body = _json_object(response, "token endpoint")
    if "error" in body or response.status_code != 200:
        code = str(body.get("error", response.status_code))[:64]
        raise OAuthProviderError(f"token endpoint refused the code: {code}")
    return body


async def get_json(
    http: httpx.AsyncClient, url: str, *, bearer: str | None = None
) -> dict[str, Any]:
    """GET a JSON object (metadata, JWKS, profile), optionally with a bearer token."""
    headers = {"Accept": "application/json"}
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    try:
        response = await http.get(url, headers=headers)
    except httpx.HTTPError as error:
        raise OAuthProviderError(f"{url} unreachable: {type(error).__name__}") from error
    if response.status_code != 200:
        raise OAuthProviderError(f"{url} answered {response.status_code}")
    return _json_object(response, url)


def _json_object(response: httpx.Response, what: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as error:
        raise OAuthProviderError(f"{what} answered {response.status_code}, not JSON") from error
    if not isinstance(body, dict):
        raise OAuthProviderError(f"{what} answered a JSON {type(body).__name__}, not an object")
    return body


def require_str(body: dict[str, Any], key: str, what: str) -> str:
    """``body[key]`` as a non-empty string; anything else is a provider error."""
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise OAuthProviderError(f"{what} has no {key}")
    return value


def optional_str(value: object) -> str | None:
    """A provider's optional text field: the value when it is a non-empty string, else None."""
    return value if isinstance(value, str) and value else None
