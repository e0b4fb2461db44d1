"""The cluster client reports a connection torn down under a command (redis-py raises
AttributeError/TypeError from its transport then) as a ConnectionError, and nothing
else: the same error raised by other code is a bug and stays one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from servicekit.redis_cluster import _as_connection_errors


def raiser_in(module: str, error: Exception) -> Callable[[], None]:
    """A function whose frame belongs to `module`, raising `error`."""
    namespace: dict[str, object] = {"__name__": module, "error": error}
    exec("def fail():\n    raise error\n", namespace)  # noqa: S102 - a fixed snippet
    return namespace["fail"]  # type: ignore[return-value]


@pytest.mark.parametrize("module", ["redis.asyncio.connection", "asyncio.selector_events"])
@pytest.mark.parametrize(
    "error",
    [AttributeError("'NoneType' object has no attribute 'writelines'"), TypeError("x")],
)
async def test_an_error_of_the_transport_is_a_connection_error(
    module: str, error: Exception
) -> None:
    with pytest.raises(RedisConnectionError, match="connection closed under the command"):
        async with _as_connection_errors():
            raiser_in(module, error)()


async def test_the_same_error_of_other_code_is_left_alone() -> None:
    with pytest.raises(AttributeError):
        async with _as_connection_errors():
            raiser_in("servicekit.rate_limiter", AttributeError("a bug"))()
