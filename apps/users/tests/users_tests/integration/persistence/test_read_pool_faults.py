"""Read connections the server ended: a 503 for the read that meets one, never a 500,
and never a broken connection for the next read.

PostgreSQL ends a backend with a FATAL error message and then closes its socket (a
shutdown, `pg_terminate_backend`). When the message reached an idle pooled connection
before the close, the pool handed it out and its read failed with asyncpg's "cannot
switch to state 12; another operation (2) is in progress": a 500 the fault run saw
once while PostgreSQL stopped under load. A proxy that holds the client's side open
after the server closed makes that window as long as the test needs.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from kernel.errors import DependencyUnavailableError, NotFoundError
from servicekit.dependency_faults import is_dependency_fault
from testkit.databases import libpq_url
from testkit.tcp_proxy import TcpProxy
from users.infrastructure.persistence_postgres.read_pool import create_read_pool, read_connection


class HalfOpenProxy(TcpProxy):
    """Forwards like `TcpProxy`, but the first time the server closes a connection it
    leaves the client's side open (until `stop`) and sets `server_closed`."""

    def __init__(self, target_host: str, target_port: int) -> None:
        super().__init__(target_host, target_port)
        self.server_closed = asyncio.Event()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self._target)
        self._writers.update((writer, upstream_writer))
        await asyncio.gather(
            self._pipe(reader, upstream_writer), self._hold_open(upstream_reader, writer)
        )

    async def _hold_open(
        self, upstream: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        with contextlib.suppress(OSError):
            while data := await upstream.read(65536):
                client.write(data)
                await client.drain()
        if self.server_closed.is_set():
            client.close()
        self.server_closed.set()


async def _end_backend_when_busy(dsn: str, pid: int) -> None:
    """End backend `pid` from another connection once it is running a statement."""
    admin = await asyncpg.connect(dsn)
    try:
        for _ in range(200):
            state = await admin.fetchval("SELECT state FROM pg_stat_activity WHERE pid = $1", pid)
            if state == "active":
                break
            await asyncio.sleep(0.01)
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def test_the_next_read_after_the_server_ended_a_reading_connection_succeeds(
    database_url: str,
) -> None:
    pool = await create_read_pool(database_url, size=1)  # one connection: the next read gets it
    try:
        async with read_connection(pool) as connection:
            pid = await connection.fetchval("SELECT pg_backend_pid()")
        ending = asyncio.create_task(_end_backend_when_busy(libpq_url(database_url), pid))
        with pytest.raises(Exception) as failed:  # noqa: PT011 (which one: asserted below)
            async with read_connection(pool) as connection:
                await connection.fetchval("SELECT pg_sleep(10)")
        assert is_dependency_fault(failed.value), repr(failed.value)  # answered as a 503
        # At once, as a concurrent request would: before the loop has seen the socket close.
        async with read_connection(pool) as connection:
            assert await connection.fetchval("SELECT 1") == 1
            assert await connection.fetchval("SELECT pg_backend_pid()") != pid
        await ending
    finally:
        await pool.close()


async def test_an_application_error_returns_the_connection_to_the_pool(
    database_url: str,
) -> None:
    pool = await create_read_pool(database_url, size=1)
    try:

        async def read_then_fail() -> int:
            async with read_connection(pool) as connection:
                pid = await connection.fetchval("SELECT pg_backend_pid()")
                raise NotFoundError(f"backend {pid}: an account deleted since login")

        with pytest.raises(NotFoundError, match=r"backend \d+") as failed:
            await read_then_fail()
        pid = int(str(failed.value.detail).split()[1].rstrip(":"))
        async with read_connection(pool) as connection:
            assert await connection.fetchval("SELECT pg_backend_pid()") == pid
    finally:
        await pool.close()


async def test_a_connection_ended_while_idle_fails_its_read_as_unavailable_then_is_replaced(
    database_url: str,
) -> None:
    url = make_url(database_url)
    proxy = HalfOpenProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    pool = await create_read_pool(url.set(port=proxy.port).render_as_string(False), size=1)
    try:
        async with read_connection(pool) as connection:
            pid = await connection.fetchval("SELECT pg_backend_pid()")
        admin = await asyncpg.connect(libpq_url(database_url))
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await asyncio.wait_for(proxy.server_closed.wait(), 10)
        await asyncio.sleep(0.1)  # asyncpg reads the FATAL message; its socket stays open

        with pytest.raises(DependencyUnavailableError) as failed:
            async with read_connection(pool) as connection:
                await connection.fetchval("SELECT 1")
        assert isinstance(failed.value.__cause__, asyncpg.InternalClientError)

        async with read_connection(pool) as connection:
            assert await connection.fetchval("SELECT pg_backend_pid()") != pid
    finally:
        await pool.close()
        await proxy.stop()
