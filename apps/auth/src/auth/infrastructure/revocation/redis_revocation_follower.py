"""Keeps a RevocationReplica in step with Redis: bootstrap, then follow the stream.

No gap between the two: the stream's last id is read first, then the snapshot,
then XREAD from that id, so a revocation made during the bootstrap is either in
the snapshot or read from the stream (applying it twice is harmless). Each XREAD
that completes confirms the copy; XREAD blocks for at most a quarter of the staleness
bound, so a healthy follower keeps the copy fresh. On any error the copy is left
to go stale (validators then ask Redis) and the follower bootstraps again.

Data loss: the bootstrap makes sure of the revocation epoch (`revocation_epoch`)
and reads it with the snapshot; after each read the follower checks that the epoch
is unchanged and that the stream still holds the last entry it read. When Redis
came back empty (or older), a new epoch begins (every access token issued before
it is revoked), the copy is invalidated at once (validators ask Redis, whose
answers apply the new epoch) and the follower bootstraps again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from redis.exceptions import RedisError

from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.persistence_redis.redis_blacklist_store import RedisBlacklistStore
from auth.infrastructure.persistence_redis.revocation_codec import decode_event
from auth.infrastructure.persistence_redis.revocation_epoch import (
    RedisRevocationEpoch,
    RevocationEpoch,
)
from auth.infrastructure.revocation.replica import RevocationReplica
from servicekit.redis import RedisClient

logger = logging.getLogger(__name__)

_PRUNE_EVERY_SECONDS = 30.0
_BATCH = 1000
_RETRY_MIN_SECONDS = 0.05
_RETRY_MAX_SECONDS = 2.0


class RedisRevocationFollower:
    """One background task per process; `start()` in the lifespan, `stop()` on shutdown."""

    def __init__(
        self,
        redis: RedisClient,
        keys: RedisKeys,
        store: RedisBlacklistStore,
        replica: RevocationReplica,
        epoch: RedisRevocationEpoch,
        *,
        staleness_seconds: float,
    ) -> None:
        self._redis = redis
        self._stream = keys.revocations
        self._store = store
        self._replica = replica
        self._epoch = epoch
        self._epoch_id: str | None = None  # the epoch of the last bootstrap
        self._block_ms = max(10, min(1000, int(staleness_seconds * 250)))
        self._task: asyncio.Task[None] | None = None
        self._followed = False
        self._stopped = False
        self._bootstrapped = asyncio.Event()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="revocation-follower")

    async def wait_bootstrapped(self, timeout: float) -> bool:
        """Wait until the first bootstrap completed (and the second in which the epoch
        began is over, so this process's tokens postdate it); False after `timeout` s."""
        try:
            await asyncio.wait_for(self._bootstrapped.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        # The flag too: redis-py may turn the cancellation of a blocked read into an error.
        self._stopped = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        delay = _RETRY_MIN_SECONDS
        while not self._stopped:
            self._followed = False
            try:
                await self._follow()
            except (RedisError, OSError) as exc:
                if self._stopped:
                    return
                logger.warning(
                    "revocation stream unavailable; validating against Redis until it is back",
                    extra={"error": repr(exc)},
                )
            if self._followed:
                delay = _RETRY_MIN_SECONDS
            await asyncio.sleep(delay)
            delay = min(_RETRY_MAX_SECONDS, delay * 2)

    async def _follow(self) -> None:
        started = time.monotonic()
        epoch = await self._epoch.ensure()
        last = await self._redis.xrevrange(self._stream, count=1)
        last_id: bytes = last[0][0] if last else b"0-0"
        snapshot = await self._store.snapshot()
        if snapshot.epoch != epoch.id:
            return  # Redis lost its data during the bootstrap: bootstrap again
        if self._epoch_id not in (None, epoch.id):
            _log_new_epoch(epoch)  # lost while this follower was cut off
        self._epoch_id = epoch.id
        self._replica.replace(snapshot)
        self._replica.confirm(started)
        if not self._bootstrapped.is_set():
            await asyncio.sleep(self._epoch.settle_seconds(epoch))
            self._bootstrapped.set()
        self._followed = True
        pruned_at = started
        while not self._stopped:
            sent = time.monotonic()
            reply = await self._redis.xread(
                {self._stream: last_id}, count=_BATCH, block=self._block_ms
            )
            read = 0
            for _stream, entries in reply:
                for entry_id, fields in entries:
                    self._apply(entry_id, fields)
                    last_id = entry_id
                    read += 1
            current = await self._epoch.ensure(expected=epoch.id, last_read=last_id)
            if current.id != epoch.id:
                self._replica.invalidate()
                _log_new_epoch(current)
                return
            if read == 0:
                # Redis answers an empty XREAD only once the block has elapsed.
                self._replica.confirm(min(time.monotonic(), sent + self._block_ms / 1000))
            elif read < _BATCH:
                self._replica.confirm(sent)
            if sent - pruned_at > _PRUNE_EVERY_SECONDS:
                self._replica.prune()
                pruned_at = sent

    def _apply(self, entry_id: bytes, fields: dict[bytes, bytes]) -> None:
        try:
            event = decode_event(fields)
        except (KeyError, ValueError):
            logger.error("skipping a malformed revocation entry", extra={"entry_id": entry_id})
            return
        self._replica.apply(event)


def _log_new_epoch(epoch: RevocationEpoch) -> None:
    logger.error(
        "Redis lost revocation data: a new revocation epoch began, every access token"
        " issued before it is rejected",
        extra={"epoch": epoch.id, "revoked_before": epoch.revoked_before.isoformat()},
    )
