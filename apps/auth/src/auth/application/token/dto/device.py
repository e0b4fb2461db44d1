"""What a session's user agent says about the client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class DeviceDescription:
    """Readable names, each None when the user agent does not tell it, e.g. device
    `Samsung SM-S918N`, os `Android 14`, browser `Chrome Mobile 120.0`."""

    MAX_LEN: ClassVar[int] = 64

    device: str | None = None
    os: str | None = None
    browser: str | None = None


UNKNOWN_DEVICE = DeviceDescription()
