"""Port: a user agent string read as device, operating system and browser."""

from __future__ import annotations

from typing import Protocol

from auth.application.token.dto.device import DeviceDescription


class UserAgentParser(Protocol):
    """Reads a `User-Agent` header, once per login (never per request)."""

    def describe(self, user_agent: str | None) -> DeviceDescription:
        """The device, OS and browser the header names; a part it does not name, or
        names only as "Other", is None. Each name is safe to show: no control or
        bidirectional characters, at most `DeviceDescription.MAX_LEN` characters."""
        ...
