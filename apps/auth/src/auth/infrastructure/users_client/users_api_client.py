"""The transport to the users service internal API: one pooled httpx client,
the service credential, per-call timeout, retries with backoff for idempotent
calls, and a circuit breaker."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from auth.application.users.exceptions.gateway import UserServiceUnavailableError
from auth.infrastructure.users_client.circuit_breaker import CircuitBreaker

logger = logging.getLogger(__name__)

SERVICE_TOKEN_HEADER = "X-Service-Token"  # noqa: S105 - a header name, not a secret
RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
Sleep = Callable[[float], Awaitable[None]]


class UsersApiClient:
    """Sends requests to the users service; every way of failing becomes
    UserServiceUnavailableError, and counts against the breaker.

    Idempotent calls are retried on connect errors and 5xx answers, with
    exponential backoff and jitter; others are sent once. 4xx answers are
    returned to the caller (they are answers, not outages).
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
        self, method: str, path: str, *, idempotent: bool, json: Any = None
    ) -> httpx.Response:
        if not self._breaker.allow():
            raise UserServiceUnavailableError("the users service circuit is open")
        attempts = self._max_attempts if idempotent else 1
        for attempt in range(1, attempts + 1):
            try:
                response = await self._http.request(
                    method, path, json=json, headers=self._headers, timeout=self._timeout
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                problem = f"cannot connect: {type(error).__name__}"
            except httpx.HTTPError as error:
                self._breaker.record_failure()
                raise UserServiceUnavailableError(
                    f"users service call failed: {type(error).__name__}"
                ) from error
            else:
                if response.status_code not in RETRYABLE_STATUS:
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
