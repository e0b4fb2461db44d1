"""A TokenService over in-memory fakes, a real issuer and a manual clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from auth.application.token.services.token_service import TokenService
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth.infrastructure.security.key_set import KeySet, load_key_set
from auth_tests.unit.fakes.token import (
    InMemoryBlacklistStore,
    InMemorySessionStore,
    RecordingEventPublisher,
)
from testkit.clock import ManualClock

ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=14)
GRACE_SECONDS = 10.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="session")
def keys() -> KeySet:
    return load_key_set(
        keys_dir=None,
        signing_kid=None,
        signing_key_pem=None,
        public_keys_pem=None,
        allow_ephemeral=True,
    )


@pytest.fixture
def issuer(keys: KeySet, clock: ManualClock) -> Ed25519TokenIssuer:
    return Ed25519TokenIssuer(
        keys,
        issuer="eco2-auth",
        audience="eco2-api",
        access_ttl=ACCESS_TTL,
        refresh_ttl=REFRESH_TTL,
        clock=clock,
    )


@pytest.fixture
def sessions(clock: ManualClock) -> InMemorySessionStore:
    return InMemorySessionStore(clock)


@pytest.fixture
def blacklist(clock: ManualClock) -> InMemoryBlacklistStore:
    return InMemoryBlacklistStore(clock)


@pytest.fixture
def events(blacklist: InMemoryBlacklistStore) -> RecordingEventPublisher:
    return RecordingEventPublisher(blacklist)


@pytest.fixture
def service(
    issuer: Ed25519TokenIssuer,
    sessions: InMemorySessionStore,
    blacklist: InMemoryBlacklistStore,
    events: RecordingEventPublisher,
    clock: ManualClock,
) -> TokenService:
    return TokenService(
        issuer=issuer,
        session_store=sessions,
        blacklist_store=blacklist,
        event_publisher=events,
        clock=clock,
        access_ttl=ACCESS_TTL,
        grace_seconds=GRACE_SECONDS,
    )
