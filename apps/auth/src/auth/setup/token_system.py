"""Composition of the token system: keys, issuer, Redis stores, revocation replica.

Keys load in `create_app` (a missing key stops the process before it serves) and
are loaded again whenever the key directory changes; everything else is built once
per process in the app lifespan and kept on `app.state.tokens`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from auth.application.token.queries.validate import ValidateTokenQueryService
from auth.application.token.services.token_service import TokenService
from auth.infrastructure.observability.metrics import REPLICA_AGE
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.persistence_redis.redis_blacklist_event_publisher import (
    RedisBlacklistEventPublisher,
)
from auth.infrastructure.persistence_redis.redis_blacklist_store import RedisBlacklistStore
from auth.infrastructure.persistence_redis.redis_session_store import RedisSessionStore
from auth.infrastructure.persistence_redis.revocation_epoch import RedisRevocationEpoch
from auth.infrastructure.revocation.redis_revocation_follower import RedisRevocationFollower
from auth.infrastructure.revocation.replica import RevocationReplica
from auth.infrastructure.revocation.replicated_blacklist_store import ReplicatedBlacklistStore
from auth.infrastructure.revocation.replicating_event_publisher import ReplicatingEventPublisher
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth.infrastructure.security.key_directory_watcher import KeyDirectoryWatcher
from auth.infrastructure.security.key_set import KeySet, load_key_set
from auth.infrastructure.security.verified_token_cache import VerifiedTokenCache
from auth.setup.settings import AuthSettings
from kernel.clock import Clock, SystemClock
from servicekit.redis import RedisClient

_BOOTSTRAP_WAIT_SECONDS = 2.0


def load_keys(settings: AuthSettings, *, reloading: bool = False) -> KeySet:
    """The configured keys; at start, an ephemeral one only in the local/test profiles
    (never when `reloading`: a key directory that lost its keys keeps those in use).

    :raises SigningKeyError: no usable signing key.
    """
    token = settings.token
    return load_key_set(
        keys_dir=token.keys_dir,
        signing_kid=token.signing_kid,
        signing_key_pem=token.signing_key_pem.get_secret_value() if token.signing_key_pem else None,
        public_keys_pem=token.public_keys_pem,
        allow_ephemeral=settings.is_local and not reloading,
    )


@dataclass(frozen=True)
class TokenSystem:
    issuer: Ed25519TokenIssuer
    sessions: RedisSessionStore
    replica: RevocationReplica
    follower: RedisRevocationFollower
    service: TokenService
    validate: ValidateTokenQueryService
    key_watcher: KeyDirectoryWatcher | None
    verify_threads: ThreadPoolExecutor | None

    @property
    def keys(self) -> KeySet:
        """The keys in use (they change when the key directory does)."""
        return self.issuer.keys

    @classmethod
    def build(
        cls, settings: AuthSettings, redis: RedisClient, keys: KeySet, clock: Clock | None = None
    ) -> TokenSystem:
        clock = clock or SystemClock()
        token = settings.token
        redis_keys = RedisKeys(settings.redis_key_prefix)
        access_ttl = timedelta(seconds=token.access_ttl_seconds)
        verify_threads = (
            ThreadPoolExecutor(token.verify_threads, thread_name_prefix="token-verify")
            if token.verify_threads
            else None
        )
        issuer = Ed25519TokenIssuer(
            keys,
            issuer=token.issuer,
            audience=token.audience,
            access_ttl=access_ttl,
            refresh_ttl=timedelta(seconds=token.refresh_ttl_seconds),
            clock=clock,
            leeway=token.leeway_seconds,
            cache=VerifiedTokenCache(token.verify_cache_size) if token.verify_cache_size else None,
            executor=verify_threads,
            restore_ttl=timedelta(seconds=token.restore_ticket_ttl_seconds),
        )
        epoch = RedisRevocationEpoch(
            redis, redis_keys, clock, access_ttl=access_ttl, maxlen=token.revocation_stream_maxlen
        )
        authority = RedisBlacklistStore(redis, redis_keys, clock, epoch)
        replica = RevocationReplica(token.denylist_staleness_seconds)
        REPLICA_AGE.set_function(replica.age)
        follower = RedisRevocationFollower(
            redis,
            redis_keys,
            authority,
            replica,
            epoch,
            staleness_seconds=token.denylist_staleness_seconds,
        )
        sessions = RedisSessionStore(redis, redis_keys, replica_acks=settings.replica_acks)
        service = TokenService(
            issuer=issuer,
            session_store=sessions,
            blacklist_store=ReplicatedBlacklistStore(authority, replica),
            event_publisher=ReplicatingEventPublisher(
                RedisBlacklistEventPublisher(
                    redis,
                    redis_keys,
                    clock,
                    maxlen=token.revocation_stream_maxlen,
                    replica_acks=settings.replica_acks,
                ),
                replica,
            ),
            clock=clock,
            access_ttl=access_ttl,
            grace_seconds=token.refresh_grace_seconds,
        )
        key_watcher = (
            KeyDirectoryWatcher(
                token.keys_dir,
                keys=keys,
                load=lambda: load_keys(settings, reloading=True),
                apply=issuer.use_keys,
                interval=token.keys_poll_seconds,
            )
            if token.keys_dir is not None
            else None
        )
        return cls(
            issuer=issuer,
            sessions=sessions,
            replica=replica,
            follower=follower,
            service=service,
            validate=ValidateTokenQueryService(service),
            key_watcher=key_watcher,
            verify_threads=verify_threads,
        )

    async def start(self) -> None:
        """Start following revocations and the key directory; wait briefly for the
        first bootstrap of the revocation copy."""
        self.follower.start()
        if self.key_watcher is not None:
            self.key_watcher.start()
        await self.follower.wait_bootstrapped(_BOOTSTRAP_WAIT_SECONDS)

    async def stop(self) -> None:
        if self.key_watcher is not None:
            await self.key_watcher.stop()
        await self.follower.stop()
        if self.verify_threads is not None:
            self.verify_threads.shutdown(wait=False, cancel_futures=True)
