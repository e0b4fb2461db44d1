"""This process's copy of the denylist and revoked-before times, with its freshness.

The copy is *fresh* while the last confirmation that it has seen every revocation
(a completed bootstrap or stream read) is at most `staleness` seconds old. Only a
fresh copy may answer on its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from uuid import UUID

from auth.application.token.ports.blacklist_event_publisher import RevocationEvent, RevocationKind
from auth.domain.token.claims import TokenClaims
from auth.infrastructure.persistence_redis.redis_blacklist_store import RevocationSnapshot


class RevocationReplica:
    """Plain dicts read on the event loop; only the loop's own tasks write them."""

    def __init__(
        self,
        staleness_seconds: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._staleness = staleness_seconds
        self._monotonic = monotonic
        self._wall = wall
        self._jtis: dict[str, float] = {}
        self._sessions: dict[str, float] = {}
        self._users: dict[UUID, tuple[float, float]] = {}
        self._all_before = 0.0  # the revocation epoch: every token issued before is revoked
        # Monotonic instant up to which every revocation is known to be in the copy.
        self._confirmed_at: float | None = None

    def age(self) -> float:
        """Seconds since the last confirmation; -1 when there has been none."""
        confirmed = self._confirmed_at
        return -1.0 if confirmed is None else self._monotonic() - confirmed

    def is_fresh(self) -> bool:
        confirmed = self._confirmed_at
        return confirmed is not None and self._monotonic() - confirmed <= self._staleness

    def confirm(self, at: float) -> None:
        """Everything revoked before monotonic instant `at` is in the copy."""
        if self._confirmed_at is None or at > self._confirmed_at:
            self._confirmed_at = at

    def invalidate(self) -> None:
        """The copy can no longer be trusted: the follower saw Redis lose its data (a new
        revocation epoch), so validators ask Redis until it has bootstrapped again."""
        self._confirmed_at = None

    def replace(self, snapshot: RevocationSnapshot) -> None:
        """Reset to `snapshot`; events applied locally since are merged, never lost."""
        for jti, until in snapshot.jtis.items():
            self._jtis[jti] = max(until, self._jtis.get(jti, 0.0))
        for sid, until in snapshot.sessions.items():
            self._sessions[sid] = max(until, self._sessions.get(sid, 0.0))
        for user, (before, until) in snapshot.users.items():
            self._merge_user(user, before, until)
        self._all_before = max(self._all_before, snapshot.revoked_before_all)

    def apply(self, event: RevocationEvent) -> None:
        until = event.until.timestamp()
        if event.kind is RevocationKind.JTI:
            self._jtis[event.subject] = max(until, self._jtis.get(event.subject, 0.0))
        elif event.kind is RevocationKind.SESSION:
            self._sessions[event.subject] = max(until, self._sessions.get(event.subject, 0.0))
        elif event.kind is RevocationKind.ALL and event.before is not None:
            self._all_before = max(self._all_before, event.before.timestamp())
        elif event.before is not None:
            self._merge_user(UUID(event.subject), event.before.timestamp(), until)

    def is_revoked(self, claims: TokenClaims) -> bool:
        """Whether the copy knows the token revoked; a stale copy's True is still true."""
        if claims.issued_at < self._all_before:
            return True
        if claims.jti in self._jtis or claims.session_id in self._sessions:
            return True
        user = self._users.get(claims.user_id)
        return user is not None and claims.issued_at < user[0]

    def prune(self) -> None:
        """Forget revocations whose tokens have all expired."""
        now = self._wall()
        self._jtis = {k: v for k, v in self._jtis.items() if v > now}
        self._sessions = {k: v for k, v in self._sessions.items() if v > now}
        self._users = {k: v for k, v in self._users.items() if v[1] > now}

    def _merge_user(self, user: UUID, before: float, until: float) -> None:
        current = self._users.get(user)
        if current is None:
            self._users[user] = (before, until)
        else:
            self._users[user] = (max(before, current[0]), max(until, current[1]))
