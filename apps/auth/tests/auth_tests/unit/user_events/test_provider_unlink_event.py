"""The provider-unlink worker's reading of an event: the types it acts on, the request it
makes, and the poison it refuses (dead-lettered at once)."""

from __future__ import annotations

import json
import uuid

import pytest

from auth.application.provider_link.dto.unlink import LinkedIdentity, UnlinkAtProvidersRequest
from auth.infrastructure.user_events.provider_unlink_event import unlinking_at_providers
from auth.infrastructure.user_events.user_event import PoisonMessageError, parse_user_event
from auth.setup.provider_unlink_settings import UNLINK_EVENT_TYPES

USER = uuid.UUID("0190f000-0000-7000-8000-0000000000e1")


def event(event_type: str, **extra: bytes) -> dict[bytes, bytes]:
    return {
        b"type": event_type.encode(),
        b"event_id": b"ev-1",
        b"user_id": str(USER).encode(),
        b"occurred_at": b"2026-11-29T12:00:00+00:00",
        **{name.encode(): value for name, value in extra.items()},
    }


async def handled(fields: dict[bytes, bytes]) -> tuple[bool, list[UnlinkAtProvidersRequest]]:
    requests: list[UnlinkAtProvidersRequest] = []

    async def unlink(request: UnlinkAtProvidersRequest) -> None:
        requests.append(request)

    acted = await unlinking_at_providers(unlink, UNLINK_EVENT_TYPES)(parse_user_event(fields))
    return acted, requests


async def test_a_purge_is_an_unlink_of_the_identities_it_carries() -> None:
    identities = [
        {"provider": "kakao", "provider_user_id": "4242"},
        {"provider": "naver", "provider_user_id": "naver-abc"},
    ]
    carried = json.dumps(identities).encode()
    acted, requests = await handled(event("user.purged", identities=carried))
    assert acted is True
    assert requests == [
        UnlinkAtProvidersRequest(
            "ev-1",
            USER,
            (LinkedIdentity("kakao", "4242"), LinkedIdentity("naver", "naver-abc")),
        )
    ]


async def test_a_deletion_without_identities_is_an_unlink_of_the_stored_links() -> None:
    acted, requests = await handled(event("user.deleted"))
    assert acted is True
    assert requests == [UnlinkAtProvidersRequest("ev-1", USER, ())]


@pytest.mark.parametrize("event_type", ["user.deletion_requested", "user.disabled", "user.renamed"])
async def test_an_account_that_can_still_come_back_is_not_unlinked(event_type: str) -> None:
    assert await handled(event(event_type)) == (False, [])


@pytest.mark.parametrize(
    "fields",
    [
        {k: v for k, v in event("user.purged").items() if k != b"event_id"},
        event("user.purged", event_id=b"e" * 65),
        event("user.purged", user_id=b"not-a-uuid"),
        event("user.purged", identities=b"{not json"),
        event("user.purged", identities=b'{"provider": "kakao"}'),
        event("user.purged", identities=b'[{"provider": "kakao"}]'),
        event("user.purged", identities=b'[{"provider": "kakao", "provider_user_id": 42}]'),
        event("user.purged", identities=b'[{"provider": "", "provider_user_id": "1"}]'),
    ],
    ids=[
        "no event id",
        "event id too long",
        "no user id",
        "identities not JSON",
        "identities not a list",
        "identity without its id",
        "identity id not text",
        "empty provider",
    ],
)
async def test_a_malformed_unlink_event_is_poison(fields: dict[bytes, bytes]) -> None:
    with pytest.raises(PoisonMessageError):
        await handled(fields)
