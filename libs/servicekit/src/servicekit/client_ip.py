"""The client's IP address, believing `X-Forwarded-For` only from trusted proxies.

The one rule both services resolve a client by (auth's audit and limits, users'
limits): `client_ip`. `trusted_networks` parses a service's configured CIDRs.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, Sequence

from starlette.requests import HTTPConnection

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def trusted_networks(cidrs: Iterable[str]) -> tuple[IpNetwork, ...]:
    """The networks of ``cidrs`` (host bits allowed).

    :raises ValueError: one of them is not a CIDR.
    """
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def client_ip(request: HTTPConnection, trusted_proxies: Sequence[IpNetwork]) -> str | None:
    """The right-most address not in ``trusted_proxies``.

    Starts from the TCP peer; while the current hop is a trusted proxy, steps
    one entry left in `X-Forwarded-For` (every header occurrence, in order).
    Entries left of the first untrusted hop are client-controlled and ignored.
    None when the peer is unknown or a trusted proxy forwarded garbage.
    """
    peer = _parse(request.client.host) if request.client else None
    if peer is None:
        return None
    if not trusted_proxies:
        return str(peer)
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
