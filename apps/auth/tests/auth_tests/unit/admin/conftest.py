"""The token fixtures (a TokenService over in-memory fakes) for the admin use cases."""

from __future__ import annotations

from auth_tests.unit.token.conftest import blacklist, clock, events, issuer, keys, service, sessions

__all__ = ["blacklist", "clock", "events", "issuer", "keys", "service", "sessions"]
