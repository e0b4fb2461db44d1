"""Which of several named secrets a presented credential is, in constant time."""

from __future__ import annotations

import hmac
from collections.abc import Mapping


def match_named_secret(given: str, secrets: Mapping[str, str]) -> str | None:
    """The name whose secret equals ``given``, or None.

    Every secret is compared (``hmac.compare_digest``), whichever matches, so the time
    taken says neither which name matched nor how much of a secret was right. An
    empty secret never matches.
    """
    presented = given.encode()
    found: str | None = None
    for name, secret in secrets.items():
        if hmac.compare_digest(presented, secret.encode()) and secret and found is None:
            found = name
    return found
