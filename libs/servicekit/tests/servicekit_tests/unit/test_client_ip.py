"""client_ip: X-Forwarded-For is believed only through trusted proxies."""

from __future__ import annotations

import ipaddress

import pytest
from starlette.requests import Request

from servicekit.client_ip import client_ip

TRUSTED = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("fd00::/8")]


def request(peer: str | None, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    scope = {
        "type": "http",
        "headers": headers,
        "client": (peer, 1234) if peer else None,
        "method": "GET",
        "path": "/",
    }
    return Request(scope)


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.5", ("198.51.100.1",), "203.0.113.5"),  # untrusted peer: header ignored
        ("10.0.0.2", ("198.51.100.1",), "198.51.100.1"),
        ("10.0.0.2", ("1.1.1.1, 198.51.100.1, 10.0.0.3",), "198.51.100.1"),  # spoofed left part
        ("10.0.0.2", ("1.1.1.1", "198.51.100.1"), "198.51.100.1"),  # several header lines
        ("10.0.0.2", ("10.0.0.9, 10.0.0.3",), "10.0.0.9"),  # all trusted: the left-most
        ("10.0.0.2", (), "10.0.0.2"),
        ("10.0.0.2", ("not-an-ip",), None),
        ("fd00::1", ("2001:db8::7",), "2001:db8::7"),
        ("::ffff:10.0.0.2", ("198.51.100.1",), "198.51.100.1"),  # IPv4-mapped peer
        ("10.0.0.2", ("fe80::1%" + "z" * 100,), "fe80::1"),  # a zone never reaches the audit
    ],
)
def test_right_most_untrusted_address_wins(
    peer: str, forwarded: tuple[str, ...], expected: str | None
) -> None:
    assert client_ip(request(peer, *forwarded), TRUSTED) == expected


def test_no_trusted_proxies_means_the_peer() -> None:
    assert client_ip(request("10.0.0.2", "198.51.100.1"), []) == "10.0.0.2"


def test_unknown_peer_is_none() -> None:
    assert client_ip(request(None, "198.51.100.1"), TRUSTED) is None
