"""The engine of the read side: its own pool of autocommit connections.

The pool is fixed in size. A read needs no transaction, so its connections are in autocommit at the engine
level (no BEGIN, ROLLBACK or isolation reset per request). It does not ping before
each use, as the write engine does (a ping costs a round trip, more than the read
itself here): when PostgreSQL closes a connection (a restart, an idle timeout) the
driver sees the socket close, and the checkout below discards such a connection
without a round trip. A connection that dies silently fails its one read, which then
answers 503 like any outage, and invalidates the pool.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection


def create_read_engine(url: str, *, pool_size: int) -> AsyncEngine:
    engine = create_async_engine(
        url,
        isolation_level="AUTOCOMMIT",
        pool_size=pool_size,
        # No overflow: a connection opened for a burst and closed after it costs
        # PostgreSQL a backend start and this process a TLS attempt and new
        # prepared statements; a request waits for one of ``pool_size`` instead.
        max_overflow=0,
        pool_recycle=1800,
    )
    event.listen(engine.sync_engine, "checkout", _discard_closed)
    return engine


def _discard_closed(
    dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection
) -> None:
    """Make the pool replace a connection whose socket the server already closed."""
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this connection")
