"""In-memory fakes of the token ports (and of the audit port the refresh use case writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from auth.application.token.dto.token import TokenPair
from auth.application.token.exceptions.token import RevocationStateUnavailableError
from auth.application.token.ports.blacklist_event_publisher import (
    BlacklistEventPublisher,
    RevocationEvent,
    RevocationKind,
)
from auth.application.token.ports.blacklist_store import BlacklistStore
from auth.application.token.ports.session_store import Rotation, RotationStatus, SessionStore
from auth.domain.audit.login_audit import LoginAudit
from auth.domain.token.claims import TokenClaims
from auth.domain.token.session import Session
from kernel.clock import Clock, SystemClock


@dataclass
class _Stored:
    session: Session
    refresh_jti: str
    parent_jti: str | None = None
    grace_pair: TokenPair | None = None
    grace_until: datetime | None = None


class InMemorySessionStore(SessionStore):
    """Same rules as RedisSessionStore, with expiry read from `clock`."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._rows: dict[str, _Stored] = {}

    def _live(self, session_id: str) -> _Stored | None:
        row = self._rows.get(session_id)
        if row is not None and row.session.expires_at <= self._clock.now():
            del self._rows[session_id]
            return None
        return row

    async def register(self, session: Session, pair: TokenPair) -> None:
        self._rows[session.id] = _Stored(session, pair.refresh_jti)

    async def rotate(
        self,
        *,
        session_id: str,
        user_id: UUID,
        presented_jti: str,
        child: TokenPair,
        now: datetime,
        grace_seconds: float,
    ) -> Rotation:
        row = self._live_of(user_id, session_id)
        if row is None:
            return Rotation(RotationStatus.MISSING)
        if row.refresh_jti == presented_jti:
            row.parent_jti, row.refresh_jti = presented_jti, child.refresh_jti
            row.session.last_used_at = now
            row.session.expires_at = child.refresh_expires_at
            row.grace_pair = child if grace_seconds > 0 else None
            row.grace_until = now + timedelta(seconds=grace_seconds)
            return Rotation(RotationStatus.ROTATED, pair=child, session=row.session)
        if (
            row.parent_jti == presented_jti
            and row.grace_pair is not None
            and row.grace_until is not None
            and now < row.grace_until
        ):
            row.session.last_used_at = now
            return Rotation(RotationStatus.GRACE, pair=row.grace_pair, session=row.session)
        del self._rows[session_id]
        return Rotation(RotationStatus.REUSED, session=row.session)

    def _live_of(self, user_id: UUID, session_id: str) -> _Stored | None:
        row = self._live(session_id)
        return row if row is not None and row.session.user_id == user_id else None

    async def get(self, user_id: UUID, session_id: str) -> Session | None:
        row = self._live_of(user_id, session_id)
        return row.session if row else None

    async def list_for_user(self, user_id: UUID) -> list[Session]:
        live = [self._live(sid) for sid in list(self._rows)]
        mine = [row.session for row in live if row is not None and row.session.user_id == user_id]
        return sorted(mine, key=lambda s: s.created_at)

    async def end(self, user_id: UUID, session_id: str) -> Session | None:
        row = self._live_of(user_id, session_id)
        if row is None:
            return None
        del self._rows[session_id]
        return row.session

    async def end_all(self, user_id: UUID) -> list[str]:
        ended = sorted(sid for sid, row in self._rows.items() if row.session.user_id == user_id)
        for sid in ended:
            del self._rows[sid]
        return ended


class InMemoryBlacklistStore(BlacklistStore):
    """Denylist in dicts, under an epoch marker like Redis's `P {revocations}:epoch`.

    It starts as a store whose epoch began long ago. `lose_data()` plays a Redis that
    came back empty: the denials and the marker are gone, and the next question starts
    a new epoch at `clock.now()`, before which every token counts as revoked (the rule
    of `RedisBlacklistStore`). `unavailable=True` makes every call fail like a dead Redis.
    """

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self.jtis: dict[str, datetime] = {}
        self.sessions: dict[str, datetime] = {}
        self.users: dict[UUID, datetime] = {}
        self.epoch_began: datetime | None = datetime.min.replace(tzinfo=UTC)
        self.unavailable = False

    def check_available(self) -> None:
        if self.unavailable:
            raise RevocationStateUnavailableError

    def lose_data(self) -> None:
        self.jtis.clear()
        self.sessions.clear()
        self.users.clear()
        self.epoch_began = None

    def record(self, event: RevocationEvent) -> None:
        if event.kind is RevocationKind.JTI:
            self.jtis[event.subject] = event.until
        elif event.kind is RevocationKind.SESSION:
            self.sessions[event.subject] = event.until
        elif event.before is not None:
            user = UUID(event.subject)
            current = self.users.get(user)
            self.users[user] = event.before if current is None else max(event.before, current)

    async def is_revoked(self, claims: TokenClaims) -> bool:
        self.check_available()
        if self.epoch_began is None:
            self.epoch_began = self._clock.now()
        if claims.issued_at < self.epoch_began.timestamp():
            return True
        if claims.jti in self.jtis or claims.session_id in self.sessions:
            return True
        before = self.users.get(claims.user_id)
        return before is not None and claims.issued_at < before.timestamp()


class RecordingEventPublisher(BlacklistEventPublisher):
    """Records each revocation in `store` (as the Redis publisher records and announces
    in one step) and keeps the list of what was published."""

    def __init__(self, store: InMemoryBlacklistStore) -> None:
        self._store = store
        self.events: list[RevocationEvent] = []

    async def publish(self, event: RevocationEvent) -> None:
        self._store.check_available()
        self._store.record(event)
        self.events.append(event)


class RecordingAuditGateway:
    """Stages audits; `committed` holds those a commit made durable."""

    def __init__(self) -> None:
        self.staged: list[LoginAudit] = []
        self.committed: list[LoginAudit] = []

    async def add(self, audit: LoginAudit) -> None:
        self.staged.append(audit)


class RecordingTransactionManager:
    def __init__(self, gateway: RecordingAuditGateway) -> None:
        self._gateway = gateway
        self.commits = 0

    async def commit(self) -> None:
        self.commits += 1
        self._gateway.committed.extend(self._gateway.staged)
        self._gateway.staged.clear()
