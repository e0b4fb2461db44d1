"""Follows the key directory, so a rotation reaches auth without a restart."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from auth.infrastructure.security.key_set import KeySet, SigningKeyError

logger = logging.getLogger(__name__)

_Fingerprint = frozenset[tuple[str, str, int, int, int]]


def _fingerprint(directory: Path) -> _Fingerprint:
    """What changes when any file of the directory does: each visible entry's name,
    resolved path, inode, size and modification time (a Kubernetes Secret update
    swaps the `..data` symlink, so every file then resolves elsewhere). Empty when
    the directory cannot be listed (it holds no key either way)."""
    try:
        names = [name for name in os.listdir(directory) if not name.startswith(".")]
    except OSError:
        return frozenset()
    prints: set[tuple[str, str, int, int, int]] = set()
    for name in names:
        path = directory / name
        try:
            stat = path.stat()
        except OSError:  # a dangling symlink, mid-update
            prints.add((name, "", -1, -1, -1))
            continue
        prints.add((name, os.path.realpath(path), stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return frozenset(prints)


def _identity(keys: KeySet) -> tuple[str, dict[str, bytes]]:
    """The signing kid and every published key's bytes: equal for the same keys."""
    published = {
        kid: key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        for kid, key in keys.public_keys.items()
    }
    return keys.signing_kid, published


class KeyDirectoryWatcher:
    """Every `interval` seconds, looks whether the directory's files changed; if so,
    loads the keys again (`load`) and, when they differ from the keys in use, hands
    them to `apply`. The look and the load run in a thread, off the event loop;
    `apply` runs on it, so it swaps keys between two requests. A directory that
    cannot be loaded (mid-update, or broken) leaves the keys in use in place,
    logged, and is loaded again at its next change. The first look always loads, so
    a change made while the process started is not missed."""

    def __init__(
        self,
        directory: Path,
        *,
        keys: KeySet,
        load: Callable[[], KeySet],
        apply: Callable[[KeySet], None],
        interval: float,
    ) -> None:
        self._directory = directory
        self._keys = keys
        self._load = load
        self._apply = apply
        self._interval = interval
        self._seen: _Fingerprint | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="key-directory-watcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def check(self) -> bool:
        """Look once; True when new keys were applied."""
        seen = await asyncio.to_thread(_fingerprint, self._directory)
        if seen == self._seen:
            return False
        self._seen = seen
        try:
            keys = await asyncio.to_thread(self._load)
        except SigningKeyError as exc:
            logger.warning(
                "the key directory changed but cannot be loaded; the keys in use stay",
                extra={"keys_dir": str(self._directory), "error": str(exc)},
            )
            return False
        (_, old), (signing, new) = before, after = _identity(self._keys), _identity(keys)
        if before == after:
            return False
        self._apply(keys)
        self._keys = keys
        logger.info(
            "signing keys changed",
            extra={
                "signing_kid": signing,
                "published": sorted(new),
                "added": sorted(new.keys() - old.keys()),
                "removed": sorted(old.keys() - new.keys()),
            },
        )
        return True

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.check()
            except Exception:  # a bug must not stop the following of later changes
                logger.exception("checking the key directory failed")
