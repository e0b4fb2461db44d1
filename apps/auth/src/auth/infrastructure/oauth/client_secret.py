"""Where a provider client's secret comes from when it authenticates to the token endpoint."""

from __future__ import annotations

from typing import Protocol


class ClientSecret(Protocol):
    """The client secret to send now: a configured string, or one made per use (Apple's JWT)."""

    def value(self) -> str: ...


class StaticClientSecret(ClientSecret):
    """A secret given by configuration (Google, Kakao, Naver, generic OIDC)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def value(self) -> str:
        return self._secret
