"""The HTTP call every provider unlinker makes, with outages told apart from refusals."""

from __future__ import annotations

from typing import Any

import httpx

from auth.application.provider_link.exceptions.unlink import (
    ProviderUnlinkRejectedError,
    ProviderUnlinkUnavailableError,
)

# 429: the provider asks us to come back later; 5xx: it could not answer now.
TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})


async def post_form(
    http: httpx.AsyncClient,
    url: str,
    form: dict[str, str],
    *,
    what: str,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST ``form`` and return the answer unless it is an outage.

    :raises ProviderUnlinkUnavailableError: transport error, timeout, 429 or 5xx.
    """
    try:
        response = await http.post(
            url, data=form, headers={"Accept": "application/json", **(headers or {})}
        )
    except httpx.TransportError as error:
        raise ProviderUnlinkUnavailableError(
            f"{what} unreachable: {type(error).__name__}"
        ) from error
    except httpx.HTTPError as error:  # an answer httpx cannot read
        raise ProviderUnlinkRejectedError(
            f"{what} answer unreadable: {type(error).__name__}"
        ) from error
    if response.status_code in TRANSIENT_STATUS or response.status_code >= 500:
        raise ProviderUnlinkUnavailableError(f"{what} answered {response.status_code}")
    return response


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object; ``{}`` when it has none (an empty or non-JSON body)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def rejected(
    what: str, response: httpx.Response, body: dict[str, Any]
) -> ProviderUnlinkRejectedError:
    """The refusal of ``what``, naming the provider's error code (never its text at length)."""
    code = body.get("error", body.get("code", ""))
    return ProviderUnlinkRejectedError(f"{what} refused: {response.status_code} {str(code)[:64]}")
