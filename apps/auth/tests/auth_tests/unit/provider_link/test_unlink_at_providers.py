"""UnlinkAtProvidersInteractor with in-memory fakes: each provider outcome, retries then
success, retries exhausted, refusals, replays, and nothing half-written."""

from __future__ import annotations

import uuid

import pytest

from auth.application.provider_link.commands.unlink_at_providers import (
    UnlinkAtProvidersInteractor,
)
from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import (
    LinkedIdentity,
    UnlinkAtProvidersRequest,
    UnlinkAtProvidersResponse,
    UnlinkOutcome,
)
from auth.application.provider_link.exceptions.unlink import (
    ProviderUnlinkRejectedError,
    ProviderUnlinkUnavailableError,
    UnlinkIncompleteError,
)
from auth.application.provider_link.services.backoff import Backoff
from auth_tests.unit.fakes.provider_link import (
    InMemoryProviderLinks,
    RecordedSleep,
    ScriptedUnlinker,
)

USER = uuid.UUID("0190f000-0000-7000-8000-00000000aa01")
OTHER = uuid.UUID("0190f000-0000-7000-8000-00000000bb02")
EVENT = "0190f000-0000-7000-8000-0000000e0001"
DOWN = ProviderUnlinkUnavailableError("answered 503")


class World:
    def __init__(self, **unlinkers: ScriptedUnlinker) -> None:
        self.db = InMemoryProviderLinks()
        self.unlinkers = unlinkers
        self.sleep = RecordedSleep()
        self.counted: list[tuple[str, str]] = []
        self.interactor = UnlinkAtProvidersInteractor(
            store=self.db,
            ledger=self.db,
            transaction=self.db,
            unlinkers=unlinkers,
            backoff=Backoff(max_attempts=3, base_seconds=0.5, max_seconds=8, uniform=lambda: 1.0),
            sleep=self.sleep,
            on_outcome=lambda provider, outcome: self.counted.append((provider, outcome)),
        )

    async def unlink(self, *identities: LinkedIdentity) -> UnlinkAtProvidersResponse:
        return await self.interactor.execute(UnlinkAtProvidersRequest(EVENT, USER, identities))


STORED = "rt"  # the refresh token an earlier login stored


def link(provider: str, token: str | None = STORED, user: uuid.UUID = USER) -> ProviderLink:
    return ProviderLink(user, provider, f"{provider}-id", token)


async def test_each_provider_answer_ends_its_link_and_deletes_its_token() -> None:
    world = World(
        kakao=ScriptedUnlinker.answering(UnlinkOutcome.UNLINKED),
        naver=ScriptedUnlinker.answering(UnlinkOutcome.ALREADY_GONE),
        google=ScriptedUnlinker.answering(UnlinkOutcome.SKIPPED),
    )
    world.db.store(link("kakao", None), link("naver"), link("google", None), link("acme"))
    result = await world.unlink()
    assert result.outcomes == {
        "acme": UnlinkOutcome.SKIPPED,  # no unlinker for it: nothing to call
        "google": UnlinkOutcome.SKIPPED,
        "kakao": UnlinkOutcome.UNLINKED,
        "naver": UnlinkOutcome.ALREADY_GONE,
    }
    assert result.replayed == frozenset()
    assert world.db.rows == {}
    assert {key: outcome for key, (_, outcome) in world.db.ledger.items()} == {
        (EVENT, provider): outcome for provider, outcome in result.outcomes.items()
    }
    assert [call.refresh_token for call in world.unlinkers["naver"].calls] == ["rt"]
    assert sorted(world.counted) == [
        ("acme", "skipped"),
        ("google", "skipped"),
        ("kakao", "unlinked"),
        ("naver", "already_gone"),
    ]


async def test_identities_the_event_carries_are_unlinked_too_unless_relinked_since() -> None:
    kakao = ScriptedUnlinker.answering(UnlinkOutcome.UNLINKED)
    world = World(kakao=kakao, naver=ScriptedUnlinker.answering(UnlinkOutcome.UNLINKED))
    # naver-id signed up again as another account after the purge: not ours to unlink.
    world.db.store(link("naver", "their-token", user=OTHER))
    result = await world.unlink(
        LinkedIdentity("kakao", "kakao-id"), LinkedIdentity("naver", "naver-id")
    )
    assert result.outcomes == {"kakao": UnlinkOutcome.UNLINKED, "naver": UnlinkOutcome.RELINKED}
    assert [(call.provider_user_id, call.refresh_token) for call in kakao.calls] == [
        ("kakao-id", None)
    ]
    assert world.unlinkers["naver"].calls == []
    assert world.db.rows == {("naver", "naver-id"): link("naver", "their-token", user=OTHER)}


async def test_a_transient_failure_is_retried_with_backoff_then_succeeds() -> None:
    google = ScriptedUnlinker.answering(DOWN, DOWN, UnlinkOutcome.UNLINKED)
    world = World(google=google)
    world.db.store(link("google"))
    result = await world.unlink()
    assert result.outcomes == {"google": UnlinkOutcome.UNLINKED}
    assert len(google.calls) == 3
    assert world.sleep.delays == [0.5, 1.0]  # exponential, the jitter at its top here
    assert world.counted == [("google", "retry"), ("google", "retry"), ("google", "unlinked")]
    assert world.db.rows == {}


async def test_retries_exhausted_leave_that_link_for_a_redelivery_and_finish_the_others() -> None:
    google = ScriptedUnlinker.answering(DOWN)
    kakao = ScriptedUnlinker.answering(UnlinkOutcome.UNLINKED)
    world = World(google=google, kakao=kakao)
    world.db.store(link("google"), link("kakao"))
    carried = LinkedIdentity("kakao", "kakao-id")  # a purge event names it too
    with pytest.raises(UnlinkIncompleteError) as raised:
        await world.unlink(carried)
    assert set(raised.value.failures) == {"google"}
    assert "PROVIDER_UNLINK_UNAVAILABLE" in str(raised.value.detail)
    assert len(google.calls) == 3
    assert world.sleep.delays == [0.5, 1.0]
    # Kakao finished (row gone, ledger written); Google's token is still there to retry.
    assert world.db.rows == {("google", "google-id"): link("google")}
    assert world.db.ledger == {(EVENT, "kakao"): (USER, UnlinkOutcome.UNLINKED)}
    assert ("google", "failed") in world.counted

    # The redelivery, Google back: only Google is called.
    google.answers.clear()
    google.answers.append(UnlinkOutcome.UNLINKED)
    again = await world.unlink(carried)
    assert again.outcomes == {"google": UnlinkOutcome.UNLINKED, "kakao": UnlinkOutcome.UNLINKED}
    assert again.replayed == frozenset({"kakao"})
    assert len(kakao.calls) == 1
    assert world.db.rows == {}


async def test_a_refusal_is_not_retried_at_once() -> None:
    apple = ScriptedUnlinker.answering(ProviderUnlinkRejectedError("invalid_client"))
    world = World(apple=apple)
    world.db.store(link("apple"))
    with pytest.raises(UnlinkIncompleteError) as raised:
        await world.unlink()
    assert raised.value.failures["apple"].code == "PROVIDER_UNLINK_REJECTED"
    assert len(apple.calls) == 1
    assert world.sleep.delays == []
    assert world.db.rows == {("apple", "apple-id"): link("apple")}
    assert world.db.ledger == {}


async def test_a_replayed_event_calls_no_provider_again() -> None:
    kakao = ScriptedUnlinker.answering(UnlinkOutcome.UNLINKED)
    world = World(kakao=kakao)
    world.db.store(link("kakao"))
    identities = (LinkedIdentity("kakao", "kakao-id"),)
    first = await world.unlink(*identities)
    replay = await world.unlink(*identities)
    assert first.outcomes == replay.outcomes == {"kakao": UnlinkOutcome.UNLINKED}
    assert replay.replayed == frozenset({"kakao"})
    assert len(kakao.calls) == 1
    assert world.db.commits == 1


async def test_a_token_that_cannot_be_decrypted_fails_its_link_without_calling() -> None:
    naver = ScriptedUnlinker.answering(UnlinkOutcome.UNLINKED)
    world = World(naver=naver)
    world.db.store(ProviderLink(USER, "naver", "naver-id", token_unreadable=True))
    with pytest.raises(UnlinkIncompleteError) as raised:
        await world.unlink()
    assert raised.value.failures["naver"].code == "PROVIDER_TOKEN_UNREADABLE"
    assert naver.calls == []
    assert ("naver", "naver-id") in world.db.rows


async def test_the_database_down_after_the_call_writes_nothing_half() -> None:
    kakao = ScriptedUnlinker.answering(UnlinkOutcome.UNLINKED, UnlinkOutcome.ALREADY_GONE)
    world = World(kakao=kakao)
    world.db.store(link("kakao"))
    world.db.fail_commit = True
    with pytest.raises(ConnectionError):
        await world.unlink()
    assert world.db.rows == {("kakao", "kakao-id"): link("kakao")}
    assert world.db.ledger == {}
    # Delivered again once the database is back: the provider says it is done already.
    world.db.fail_commit = False
    result = await world.unlink()
    assert result.outcomes == {"kakao": UnlinkOutcome.ALREADY_GONE}
    assert world.db.rows == {}


async def test_an_account_without_links_has_nothing_to_do() -> None:
    world = World(kakao=ScriptedUnlinker.answering(UnlinkOutcome.UNLINKED))
    result = await world.unlink()
    assert result.outcomes == {}
    assert world.db.commits == 0
