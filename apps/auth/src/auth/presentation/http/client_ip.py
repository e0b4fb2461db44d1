"""The client's IP address, believing `X-Forwarded-For` only from trusted proxies.

The one resolver of every audited path (callback, refresh reuse): `get_client_ip`.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence

from fastapi import Depends
from starlette.requests import Request

from auth.setup.dependencies import get_trusted_proxies

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_ip(request: Request, trusted_proxies: Sequence[IpNetwork]) -> str | None:
    """The right-most address not in ``trusted_proxies``.

    Starts from the TCP peer; while the current hop is a trusted proxy, steps
    one entry left in `X-Forwarded-For` (every header occurrence, in order).
    Entries left of the first untrusted hop are client-controlled and ignored.
    None when the peer is unknown or a trusted proxy forwarded garbage.
    """
    peer = _parse(request.client.host) if request.client else None
    if peer is None:
        return None
    chain = [
        entry.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for entry in header.split(",")
    ]
    current = peer
    while _trusted(current, trusted_proxies) and chain:
        hop = _parse(chain.pop())
        if hop is None:
            return None
        current = hop
    return str(current)


async def get_client_ip(
    request: Request, trusted_proxies: tuple[IpNetwork, ...] = Depends(get_trusted_proxies)
) -> str | None:
    """The client's address for every audit: `X-Forwarded-For` is believed only
    through `AUTH_OAUTH__TRUSTED_PROXIES`, else the TCP peer."""
    return client_ip(request, trusted_proxies)


def _trusted(address: IpAddress, networks: Sequence[IpNetwork]) -> bool:
    return any(address in network for network in networks)


@functools.lru_cache(maxsize=1024)
def _parse(value: str) -> IpAddress | None:
    # Cached: the same few peers (the gateway's addresses) come back on every request,
    # and `ipaddress` parsing is a measurable share of `/refresh`. Bounded, and the
    # results are immutable.
    # A zone (`fe80::1%eth0`) means nothing off its host and has no length limit.
    try:
        address = ipaddress.ip_address(value.partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
