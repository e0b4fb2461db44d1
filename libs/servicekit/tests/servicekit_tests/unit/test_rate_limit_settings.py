"""Rate settings: the `limits` notation or `off`, checked at start; routes by scope."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from servicekit.rate_limiter import address_bucket
from servicekit.settings import Rate, RateLimitSettings, RouteRates


class LoginRates(RouteRates):
    per_ip: Rate = "60/minute"
    per_account: Rate = "5/minute"


class Limits(RateLimitSettings):
    login: LoginRates = LoginRates()


@pytest.mark.parametrize("rate", ["10/minute", "100 per second", "5/2 minutes", "1/day"])
def test_the_limits_notation_is_a_rate(rate: str) -> None:
    assert LoginRates(per_ip=rate).per_ip == rate


@pytest.mark.parametrize("off", ["off", "OFF", "none", "", " ", "null", None])
def test_off_means_no_limit(off: str | None) -> None:
    assert LoginRates(per_ip=off).per_ip is None


@pytest.mark.parametrize("bad", ["ten/minute", "10/fortnight", "0/minute", "10"])
def test_anything_else_stops_the_settings(bad: str) -> None:
    with pytest.raises(ValidationError):
        LoginRates(per_ip=bad)


def test_routes_lists_each_route_by_scope() -> None:
    limits = Limits(login=LoginRates(per_account="off"))
    assert limits.routes() == {"login": {"ip": "60/minute", "account": None}}
    assert limits.enabled


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:aa:bb:1:2:3:4", "2001:db8:aa:bb::/64"),
        ("2001:db8:aa:bb::9", "2001:db8:aa:bb::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("not an address", "not an address"),
    ],
)
def test_an_ipv6_client_is_limited_by_its_64(address: str, bucket: str) -> None:
    assert address_bucket(address) == bucket
