"""Auth's token system in the benchmark's own process, wired by auth's setup
(`TokenSystem.build`): issuer, Redis session store, revocation publisher and replica,
so what a benchmark writes to Redis is exactly what a login, a refresh or a logout
writes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auth.setup.token_system import TokenSystem


@asynccontextmanager
async def auth_token_system(env: dict[str, str], **token: Any) -> AsyncIterator[TokenSystem]:
    """The token system of an auth server started with `env` (`validate_bench.auth_env`:
    its Redis URL, key prefix and key directory), with `token` settings
    (`AUTH_TOKEN__…`) on top; not started (no revocation follower), Redis closed on exit.
    """
    # Imported when called: importing `validate_bench` puts the sources on sys.path.
    from auth.setup.settings import AuthSettings
    from auth.setup.token_system import TokenSystem, load_keys
    from servicekit.redis import create_redis

    settings = AuthSettings(
        profile="local",
        redis_url=env["AUTH_REDIS_URL"],  # type: ignore[arg-type]
        redis_key_prefix=env["AUTH_REDIS_KEY_PREFIX"],
        token={"keys_dir": env["AUTH_TOKEN__KEYS_DIR"], **token},  # type: ignore[arg-type]
    )
    redis = create_redis(settings.redis_url.get_secret_value())
    try:
        yield TokenSystem.build(settings, redis, load_keys(settings))
    finally:
        await redis.aclose()
