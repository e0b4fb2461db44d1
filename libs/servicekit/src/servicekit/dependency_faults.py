"""Which exceptions of the database and Redis clients mean "the dependency is down".

A request that fails because PostgreSQL or Redis does not answer is a 503
``DEPENDENCY_UNAVAILABLE``, not a bug: `is_dependency_fault` tells the two apart.
Connection-level failures count (refused, reset, timed out, closed in the middle
of a query, the server shutting down, starting up or out of connections); a
constraint violation, a syntax error or a Redis ``WRONGTYPE`` do not.

No library classifies these across SQLAlchemy, asyncpg and redis-py, hence this
table. SQLAlchemy's asyncpg dialect wraps only errors of an open connection: one
raised while connecting (`ConnectionRefusedError`, a timeout, asyncpg's "the
database system is starting up") reaches the app unwrapped.
"""

from __future__ import annotations

from types import TracebackType

import asyncpg
import redis.exceptions as redis_errors
import sqlalchemy.exc as sa_errors

from kernel.error_chain import error_causes

# Exception classes whose instances may be a dependency fault; the error translation
# registers a handler for each and asks `is_dependency_fault` about the instance.
DRIVER_ERRORS: tuple[type[Exception], ...] = (
    sa_errors.SQLAlchemyError,
    asyncpg.PostgresError,
    redis_errors.RedisError,
    OSError,  # ConnectionError, TimeoutError, socket.gaierror: faults only inside a driver
)

_REDIS_FAULTS = (
    redis_errors.ConnectionError,  # also BusyLoading, MaxConnections, authentication
    redis_errors.TimeoutError,
    redis_errors.ClusterError,  # ClusterDown, MasterDown; redirections that never settled
    redis_errors.TryAgainError,
    redis_errors.ReadOnlyError,  # a replica during failover
)

# SQLSTATE classes: 08 connection exception, 53 insufficient resources (too many
# connections, disk full), 57 operator intervention (shutdown, cannot connect now).
_POSTGRES_FAULT_CLASSES = frozenset({"08", "53", "57"})

_DRIVER_PACKAGES = ("asyncpg", "sqlalchemy", "redis")


def is_dependency_fault(error: BaseException) -> bool:
    """True when ``error`` (or what it wraps) says PostgreSQL or Redis is unreachable."""
    return any(_is_fault(cause) for cause in error_causes(error))


def _is_fault(error: BaseException) -> bool:
    if isinstance(error, _REDIS_FAULTS):
        return True
    if isinstance(error, sa_errors.DBAPIError):
        return error.connection_invalidated or isinstance(error, sa_errors.OperationalError)
    if isinstance(error, sa_errors.TimeoutError | sa_errors.DisconnectionError):
        return True  # the pool had no connection to give, or a ping found it dead
    if isinstance(error, asyncpg.PostgresError):
        sqlstate = getattr(error, "sqlstate", None) or ""
        return sqlstate[:2] in _POSTGRES_FAULT_CLASSES
    if isinstance(error, OSError):
        return _raised_in_driver(error.__traceback__)
    return False


def _raised_in_driver(traceback: TracebackType | None) -> bool:
    """Whether a frame of asyncpg, SQLAlchemy or redis-py is on the way to the raise."""
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if isinstance(module, str) and module.split(".", 1)[0] in _DRIVER_PACKAGES:
            return True
        traceback = traceback.tb_next
    return False
