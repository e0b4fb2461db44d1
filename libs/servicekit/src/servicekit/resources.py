"""The connections a service process holds: database engine, sessions, Redis."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from servicekit.database import create_engine, create_session_factory, ping_database
from servicekit.health import ReadinessCheck, ReadinessChecks
from servicekit.redis import RedisClient, create_redis, ping_redis
from servicekit.settings import ServiceSettings


@dataclass(slots=True)
class Resources:
    """Opened once per process in the app lifespan; closed on shutdown."""

    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    redis: RedisClient

    @classmethod
    def open(cls, settings: ServiceSettings) -> Resources:
        engine = create_engine(
            settings.database_url.get_secret_value(), pool_size=settings.database_pool_size
        )
        redis = create_redis(
            settings.redis_url.get_secret_value(),
            cluster=settings.redis_cluster,
            max_connections=settings.redis_max_connections,
        )
        return cls(engine=engine, session_factory=create_session_factory(engine), redis=redis)

    async def close(self) -> None:
        await self.redis.aclose()
        await self.engine.dispose()

    def readiness(self, *, required: frozenset[str]) -> ReadinessChecks:
        """Checks of `postgres` and `redis`; those named in `required` decide readiness,
        the others are reported as degraded when they fail."""
        checks: dict[str, ReadinessCheck] = {
            "postgres": lambda: ping_database(self.engine),
            "redis": lambda: ping_redis(self.redis),
        }
        return ReadinessChecks(
            required={name: check for name, check in checks.items() if name in required},
            optional={name: check for name, check in checks.items() if name not in required},
        )
