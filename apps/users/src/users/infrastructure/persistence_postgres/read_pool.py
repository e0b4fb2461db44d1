"""The read side's connections: an asyncpg pool of its own, used without SQLAlchemy.

A read through SQLAlchemy's async layer (pool checkout, greenlet, execution context,
result processing) measured about 140 µs of CPU here; the same query through
asyncpg about 12 µs, and the read routes are CPU-bound. So the query gateways run
their SQL on the driver directly, and the write side keeps the ORM.

The connections are in autocommit (asyncpg's default: no BEGIN, no transaction held
by a read). The pool hands out a connection without pinging it: asyncpg notices a
socket the server closed (restart, idle timeout) and reconnects on acquire, and a
connection that dies silently fails its one read as a 503 like any outage. Reads
change no session state, so a released connection needs no reset query (asyncpg
sends one per release by default: a round trip).

Because nothing checks a connection on its way back, a read takes it through
`read_connection`, which closes it instead when the read failed other than with an
application error (a driver error, a cancellation, a bug: its state is unknown). And
PostgreSQL ends a backend with an error message before it closes the socket (a
shutdown, `pg_terminate_backend`): when the message reaches an idle connection first,
the pool may hand it out before asyncpg sees the close, and its query fails with
asyncpg's `InternalClientError` ("cannot switch to state ..."), which is the database
going away: a `DependencyUnavailableError` (503), like every other read then.
"""

from __future__ import annotations

import contextlib
import logging
from types import TracebackType

import asyncpg
from asyncpg.pool import PoolAcquireContext, PoolConnectionProxy
from sqlalchemy.engine import make_url

from kernel.error_chain import describe_error
from kernel.errors import AppError, DependencyUnavailableError

logger = logging.getLogger(__name__)


async def create_read_pool(url: str, *, size: int) -> asyncpg.Pool:
    """A pool of at most ``size`` connections, opened on first use (so the app starts
    while PostgreSQL is down, as the write side's engine does)."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return await asyncpg.create_pool(dsn, min_size=0, max_size=size, reset=_no_reset)


async def _no_reset(connection: asyncpg.Connection) -> None:
    """Reads leave nothing to reset (no transaction, no SET, no LISTEN, no cursor)."""


def read_connection(pool: asyncpg.Pool) -> ReadConnection:
    """A connection of ``pool`` for one read (``async with``)."""
    return ReadConnection(pool.acquire())


class ReadConnection:
    """`Pool.acquire()` with the read side's failure rules (see the module)."""

    __slots__ = ("_acquiring", "_connection")

    def __init__(self, acquiring: PoolAcquireContext) -> None:
        self._acquiring = acquiring
        self._connection: PoolConnectionProxy | None = None

    async def __aenter__(self) -> PoolConnectionProxy:
        self._connection = await self._acquiring.__aenter__()
        return self._connection

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is not None and not isinstance(exc, AppError) and self._connection is not None:
            # The pool opens a new one in its place. A connection asyncpg saw close is
            # already back in the pool, and says so with an InterfaceError.
            with contextlib.suppress(asyncpg.InterfaceError):
                self._connection.terminate()
        await self._acquiring.__aexit__(exc_type, exc, traceback)
        if isinstance(exc, asyncpg.InternalClientError):
            logger.warning("read connection closed by the database: %s", describe_error(exc))
            raise DependencyUnavailableError from exc
