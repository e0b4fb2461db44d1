"""The transport to the users service internal API: one pooled httpx client,
the service credential, per-call timeout, retries with backoff for idempotent
calls, and a circuit breaker."""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from auth.application.users.exceptions.gateway import UserServiceUnavailableError
from auth.infrastructure.users_client.circuit_breaker import CircuitBreaker

logger = logging.getLogger(__name__)

SERVICE_TOKEN_HEADER = "X-Service-Token"  # noqa: S105 - a header name, not a secret
# 503: the service (or a proxy in front of it) says it cannot serve now; 504: a
# proxy in between timed out, a timeout like our own.
TRANSIENT_STATUS = frozenset({503, 504})
JSON_CONTENT = {"Content-Type": "application/json"}
Sleep = Callable[[float], Awaitable[None]]


class UsersApiClient:
    """Sends requests to the users service and returns its answer.

    Only transient failures (transport errors, timeouts, 503/504) are retried,
    with exponential backoff and jitter and only for idempotent calls, and only
    they count against the breaker; when they persist the call raises
    UserServiceUnavailableError. Every other answer, 4xx and 500 included, is
    returned to the caller: the service answered, so it is up (a success for the
    breaker), and the same request would get the same answer again.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        service_token: str,
        timeout_seconds: float,
        max_attempts: int,
        backoff_seconds: float,
        breaker: CircuitBreaker,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._http = http
        self._headers = {SERVICE_TOKEN_HEADER: service_token}
        self._timeout = httpx.Timeout(timeout_seconds)
        self._max_attempts = max(1, max_attempts)
        self._backoff = backoff_seconds
        self._breaker = breaker
        self._sleep = sleep

    async def request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json: Any = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """:raises UserServiceUnavailableError: the circuit is open, or the call failed
        transiently on every attempt."""
        if not self._breaker.allow():
            raise UserServiceUnavailableError("the users service circuit is open")
        # ASCII JSON: any str can be sent (a lone surrogate is escaped, not an encoding
        # error here) and the users service judges what it can take.
        content = None if json is None else jsonlib.dumps(json, ensure_ascii=True)
        headers = self._headers if content is None else self._headers | JSON_CONTENT
        attempts = self._max_attempts if idempotent else 1
        for attempt in range(1, attempts + 1):
            try:
                response = await self._http.request(
                    method,
                    path,
                    content=content,
                    params=params,
                    headers=headers,
                    timeout=self._timeout,
                )
            except httpx.TransportError as error:  # connect, read, write, timeouts, protocol
                problem = f"call failed: {type(error).__name__}"
            except httpx.HTTPError as error:  # an answer httpx cannot read: not an outage
                raise UserServiceUnavailableError(
                    f"users service answer unreadable: {type(error).__name__}"
                ) from error
            else:
                if response.status_code not in TRANSIENT_STATUS:
                    self._breaker.record_success()
                    return response
                problem = f"answered {response.status_code}"
            if attempt < attempts:
                logger.info("retrying users service call", extra={"problem": problem})
                await self._sleep(self._delay(attempt))
        self._breaker.record_failure()
        raise UserServiceUnavailableError(f"users service {problem}")

    def _delay(self, attempt: int) -> float:
        base: float = self._backoff * 2.0 ** (attempt - 1)
        jitter: float = random.uniform(0.0, base / 2)  # noqa: S311 - jitter, not a secret
        return base / 2 + jitter
