"""HandleUnlinkNoticeInteractor with the real verifiers, a real TokenService over in-memory
stores and a fake users service: what each notice changes, and what a refused or failed
one leaves (nothing, or only what is safe to repeat)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.token.dto.token import TokenPair
from auth.application.token.exceptions.token import RevocationStateUnavailableError
from auth.application.token.services.token_service import TokenService
from auth.application.unlink_notice.commands.handle_unlink_notice import (
    HandleUnlinkNoticeInteractor,
)
from auth.application.unlink_notice.dto.unlink_notice import (
    UnlinkNoticeOutcome,
    UnlinkNoticeRequest,
)
from auth.application.unlink_notice.exceptions.unlink_notice import (
    NoticeDeadlineExceededError,
    NoticeReplayedError,
    NoticeSignatureInvalidError,
    NoticeStaleError,
    NoticeStoreUnavailableError,
    UnlinkNoticesNotConfiguredError,
)
from auth.application.users.exceptions.gateway import UserServiceUnavailableError
from auth.domain.audit.login_audit import LoginResult
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth.infrastructure.security.key_set import load_key_set
from auth.infrastructure.unlink_notice.kakao_unlink_notice_verifier import (
    KakaoAdminKeyNoticeVerifier,
)
from auth.infrastructure.unlink_notice.naver_unlink_notice_verifier import (
    NaverHmacNoticeVerifier,
)
from auth_tests.provider_notices import (
    KAKAO_ADMIN_KEY,
    KAKAO_APP_ID,
    NAVER_CLIENT_ID,
    NAVER_CLIENT_SECRET,
    kakao_authorization,
    kakao_notice,
    naver_notice,
)
from auth_tests.unit.fakes.oauth import FakeUsers, InMemoryAuditLog
from auth_tests.unit.fakes.token import (
    InMemoryBlacklistStore,
    InMemorySessionStore,
    RecordingEventPublisher,
)
from testkit.clock import ManualClock

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
MAX_AGE = timedelta(minutes=5)
KEYS = load_key_set(
    keys_dir=None,
    signing_kid=None,
    signing_key_pem=None,
    public_keys_pem=None,
    allow_ephemeral=True,
)


class InMemoryReplayGuard:
    def __init__(self) -> None:
        self.claims: dict[tuple[str, str], int] = {}
        self.unavailable = False

    async def claim(self, provider: str, replay_key: str, ttl_seconds: int) -> bool:
        if self.unavailable:
            raise NoticeStoreUnavailableError
        if (provider, replay_key) in self.claims:
            return False
        self.claims[(provider, replay_key)] = ttl_seconds
        return True

    async def release(self, provider: str, replay_key: str) -> None:
        self.claims.pop((provider, replay_key), None)


class SlowUsers(FakeUsers):
    """A users service that never answers the lookup."""

    async def find_user_by_identity(self, provider: str, provider_user_id: str) -> uuid.UUID:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


class World:
    def __init__(self, users: FakeUsers | None = None, deadline: float = 2.5) -> None:
        self.clock = ManualClock(NOW)
        self.sessions = InMemorySessionStore(self.clock)
        self.blacklist = InMemoryBlacklistStore(self.clock)
        self.tokens = TokenService(
            issuer=Ed25519TokenIssuer(
                KEYS,
                issuer="eco2-auth",
                audience="eco2-api",
                access_ttl=timedelta(minutes=15),
                refresh_ttl=timedelta(days=14),
                clock=self.clock,
            ),
            session_store=self.sessions,
            blacklist_store=self.blacklist,
            event_publisher=RecordingEventPublisher(self.blacklist),
            clock=self.clock,
            access_ttl=timedelta(minutes=15),
            grace_seconds=10,
        )
        self.users = users or FakeUsers()
        self.replays = InMemoryReplayGuard()
        self.audit = InMemoryAuditLog()
        self.interactor = HandleUnlinkNoticeInteractor(
            verifiers={
                "kakao": KakaoAdminKeyNoticeVerifier(
                    admin_key=KAKAO_ADMIN_KEY, app_id=KAKAO_APP_ID
                ),
                "naver": NaverHmacNoticeVerifier(
                    client_id=NAVER_CLIENT_ID, client_secret=NAVER_CLIENT_SECRET
                ),
            },
            replay_guard=self.replays,
            user_queries=self.users,
            user_commands=self.users,
            tokens=self.tokens,
            audit_service=LoginAuditService(clock=self.clock),
            audit_gateway=self.audit,
            transaction=self.audit,
            clock=self.clock,
            max_age=MAX_AGE,
            deadline_seconds=deadline,
        )

    async def member(self, *identities: tuple[str, str]) -> tuple[uuid.UUID, list[TokenPair]]:
        """A user with these identities and one session signed in through each."""
        user_id = uuid.uuid4()
        pairs = []
        for provider, subject in identities:
            self.users.accounts[(provider, subject)] = user_id
            pairs.append(
                await self.tokens.issue_and_register(
                    user_id=user_id, provider=provider, device_id=None, user_agent=None
                )
            )
        return user_id, pairs

    async def live(self, user_id: uuid.UUID) -> list[str]:
        return [s.provider for s in await self.sessions.list_for_user(user_id)]

    def kakao(self, user_id: str, authorization: str | None = None) -> UnlinkNoticeRequest:
        return UnlinkNoticeRequest(
            "kakao",
            kakao_notice(user_id),
            authorization or kakao_authorization(),
            client_ip="203.0.113.7",
        )

    def naver(self, fields: dict[str, str]) -> UnlinkNoticeRequest:
        return UnlinkNoticeRequest("naver", fields, client_ip="203.0.113.8")

    def audits(self) -> list[tuple[str, str | None, uuid.UUID | None, str | None]]:
        return [(a.result, a.reason, a.user_id, a.provider) for a in self.audit.committed]


async def test_a_kakao_notice_ends_that_link_and_its_sessions_only() -> None:
    world = World()
    user_id, (kakao_pair, naver_pair) = await world.member(("kakao", "42"), ("naver", "n-1"))
    result = await world.interactor.execute(world.kakao("42"))
    assert (result.outcome, result.user_id, result.ended_sessions) == (
        UnlinkNoticeOutcome.UNLINKED,
        user_id,
        1,
    )
    assert ("kakao", "42") not in world.users.accounts
    assert await world.live(user_id) == ["naver"]
    assert kakao_pair.session_id in world.blacklist.sessions  # its access tokens are revoked
    assert naver_pair.session_id not in world.blacklist.sessions
    assert world.users.deleted == []
    assert world.audits() == [
        (LoginResult.UNLINK_NOTICE, "unlinked", user_id, "kakao"),
    ]


async def test_a_naver_notice_for_the_last_login_method_deletes_the_user() -> None:
    world = World()
    user_id, _ = await world.member(("naver", "n-1"))
    fields = naver_notice("n-1", int(NOW.timestamp()))
    result = await world.interactor.execute(world.naver(fields))
    assert (result.outcome, result.user_id) == (UnlinkNoticeOutcome.USER_DELETED, user_id)
    assert world.users.deleted == [user_id]
    assert await world.live(user_id) == []
    assert world.audits() == [(LoginResult.UNLINK_NOTICE, "user_deleted", user_id, "naver")]


async def test_an_unknown_user_is_answered_as_done_and_nothing_changes() -> None:
    world = World()
    user_id, _ = await world.member(("kakao", "42"))
    result = await world.interactor.execute(world.kakao("never-seen"))
    assert (result.outcome, result.user_id) == (UnlinkNoticeOutcome.UNKNOWN_USER, None)
    assert world.users.accounts == {("kakao", "42"): user_id}
    assert await world.live(user_id) == ["kakao"]
    assert world.audits() == [(LoginResult.UNLINK_NOTICE, "unknown_user", None, "kakao")]


async def test_a_repeated_kakao_notice_is_idempotent() -> None:
    world = World()
    user_id, _ = await world.member(("kakao", "42"), ("google", "g"))
    first = await world.interactor.execute(world.kakao("42"))
    second = await world.interactor.execute(world.kakao("42"))
    assert (first.outcome, second.outcome) == (
        UnlinkNoticeOutcome.UNLINKED,
        UnlinkNoticeOutcome.UNKNOWN_USER,
    )
    assert world.users.accounts == {("google", "g"): user_id}
    assert await world.live(user_id) == ["google"]


async def test_a_wrong_admin_key_changes_nothing_and_is_audited() -> None:
    world = World()
    user_id, _ = await world.member(("kakao", "42"))
    with pytest.raises(NoticeSignatureInvalidError):
        await world.interactor.execute(world.kakao("42", "KakaoAK not-the-key"))
    assert world.users.accounts == {("kakao", "42"): user_id}
    assert await world.live(user_id) == ["kakao"]
    assert world.audits() == [
        (LoginResult.UNLINK_NOTICE, "notice_signature_invalid", None, "kakao")
    ]


async def test_a_forged_naver_signature_changes_nothing() -> None:
    world = World()
    user_id, _ = await world.member(("naver", "n-1"))
    forged = naver_notice("n-1", int(NOW.timestamp()), signing_secret="guessed")
    with pytest.raises(NoticeSignatureInvalidError):
        await world.interactor.execute(world.naver(forged))
    assert world.users.accounts == {("naver", "n-1"): user_id}
    assert world.replays.claims == {}


@pytest.mark.parametrize(
    "offset", [MAX_AGE + timedelta(seconds=1), -MAX_AGE - timedelta(seconds=1)]
)
async def test_a_stale_or_future_naver_notice_changes_nothing(offset: timedelta) -> None:
    world = World()
    user_id, _ = await world.member(("naver", "n-1"))
    stamp = int((NOW - offset).timestamp())
    with pytest.raises(NoticeStaleError):
        await world.interactor.execute(world.naver(naver_notice("n-1", stamp)))
    assert world.users.accounts == {("naver", "n-1"): user_id}
    assert await world.live(user_id) == ["naver"]
    assert world.replays.claims == {}
    assert world.audits() == [(LoginResult.UNLINK_NOTICE, "notice_stale", None, "naver")]


async def test_a_naver_notice_within_the_window_either_side_is_applied() -> None:
    world = World()
    await world.member(("naver", "early"), ("google", "g1"))
    await world.member(("naver", "late"), ("google", "g2"))
    for subject, offset in (("early", MAX_AGE), ("late", -MAX_AGE)):
        stamp = int((NOW - offset).timestamp())
        result = await world.interactor.execute(world.naver(naver_notice(subject, stamp)))
        assert result.outcome is UnlinkNoticeOutcome.UNLINKED


async def test_a_replayed_naver_notice_is_refused_and_changes_nothing_more() -> None:
    world = World()
    user_id, _ = await world.member(("naver", "n-1"), ("google", "g"))
    fields = naver_notice("n-1", int(NOW.timestamp()))
    await world.interactor.execute(world.naver(fields))
    # The user links Naver again; the old notice replayed must not unlink it.
    world.users.accounts[("naver", "n-1")] = user_id
    session = await world.tokens.issue_and_register(
        user_id=user_id, provider="naver", device_id=None, user_agent=None
    )
    with pytest.raises(NoticeReplayedError):
        await world.interactor.execute(world.naver(dict(fields)))
    assert world.users.accounts[("naver", "n-1")] == user_id
    assert session.session_id in [s.id for s in await world.sessions.list_for_user(user_id)]
    [ttl] = world.replays.claims.values()
    assert ttl > 2 * MAX_AGE.total_seconds()  # outlives every moment the notice is fresh
    assert [a[1] for a in world.audits()] == ["unlinked", "notice_replayed"]


async def test_users_down_is_503_nothing_changes_and_the_retry_applies() -> None:
    world = World()
    user_id, _ = await world.member(("naver", "n-1"), ("google", "g"))
    fields = naver_notice("n-1", int(NOW.timestamp()))
    world.users.unavailable = True
    with pytest.raises(UserServiceUnavailableError):
        await world.interactor.execute(world.naver(fields))
    assert world.users.accounts[("naver", "n-1")] == user_id
    assert await world.live(user_id) == ["naver", "google"]
    assert world.replays.claims == {}  # released: the provider's retry is not a replay
    world.users.unavailable = False
    result = await world.interactor.execute(world.naver(dict(fields)))
    assert result.outcome is UnlinkNoticeOutcome.UNLINKED
    assert [a[1] for a in world.audits()] == ["users_unavailable", "unlinked"]


async def test_users_failing_after_the_sessions_ended_is_503_and_the_retry_finishes() -> None:
    """The sessions end before the link does: a failure in between leaves the link (the
    retry finds the user again), never a link gone with its sessions still open."""
    world = World()
    user_id, _ = await world.member(("kakao", "42"), ("google", "g"))
    world.users.fail_end_link = True
    with pytest.raises(UserServiceUnavailableError):
        await world.interactor.execute(world.kakao("42"))
    assert world.users.accounts[("kakao", "42")] == user_id
    assert await world.live(user_id) == ["google"]
    world.users.fail_end_link = False
    result = await world.interactor.execute(world.kakao("42"))
    assert (result.outcome, result.ended_sessions) == (UnlinkNoticeOutcome.UNLINKED, 0)
    assert ("kakao", "42") not in world.users.accounts


async def test_redis_down_is_503_and_nothing_changes() -> None:
    world = World()
    user_id, _ = await world.member(("kakao", "42"), ("google", "g"))
    world.blacklist.unavailable = True
    with pytest.raises(RevocationStateUnavailableError):
        await world.interactor.execute(world.kakao("42"))
    assert world.users.accounts[("kakao", "42")] == user_id
    world.replays.unavailable = True
    with pytest.raises(NoticeStoreUnavailableError):
        await world.interactor.execute(world.naver(naver_notice("n", int(NOW.timestamp()))))


async def test_a_users_service_that_hangs_is_cut_at_the_deadline_and_the_claim_released() -> None:
    world = World(users=SlowUsers(), deadline=0.05)
    fields = naver_notice("n-1", int(NOW.timestamp()))
    with pytest.raises(NoticeDeadlineExceededError):
        await world.interactor.execute(world.naver(fields))
    assert world.replays.claims == {}
    assert world.audits() == [
        (LoginResult.UNLINK_NOTICE, "notice_deadline_exceeded", None, "naver")
    ]


async def test_a_provider_without_a_verifier_accepts_nothing() -> None:
    world = World()
    with pytest.raises(UnlinkNoticesNotConfiguredError):
        await world.interactor.execute(UnlinkNoticeRequest("google", {}, None))
