"""The rotation use cases over an in-memory key directory and a manual clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from auth.application.signing_key.commands.generate import GenerateSigningKeyInteractor
from auth.application.signing_key.commands.promote import PromoteSigningKeyInteractor
from auth.application.signing_key.commands.retire import RetireSigningKeysInteractor
from auth.application.signing_key.dto.signing_key import PromoteKeyRequest, RetireKeysRequest
from auth.application.signing_key.queries.list_keys import ListSigningKeysQuery
from auth.domain.signing_key.exceptions import SigningKeyTooEarlyError
from auth.domain.signing_key.key_rotation_policy import KeyRotationPolicy
from auth.domain.signing_key.key_state import KeyState
from auth_tests.unit.fakes.signing_key import InMemoryKeyDirectory
from testkit.clock import ManualClock

POLICY = KeyRotationPolicy(publish_ahead=timedelta(minutes=7), retired_lifetime=timedelta(days=14))


class Rotation:
    def __init__(self, directory: InMemoryKeyDirectory, clock: ManualClock) -> None:
        self.directory = directory
        self.clock = clock
        self.generate = GenerateSigningKeyInteractor(directory, clock)
        self.promote = PromoteSigningKeyInteractor(directory, clock, POLICY)
        self.retire = RetireSigningKeysInteractor(directory, clock, POLICY)
        self.list = ListSigningKeysQuery(directory, clock, POLICY)

    def states(self) -> dict[str, KeyState]:
        return {status.key.kid: status.key.state for status in self.list.execute()}


@pytest.fixture
def rotation() -> Rotation:
    return Rotation(InMemoryKeyDirectory(), ManualClock())


def test_two_rotations_then_the_first_key_is_removed_once_its_tokens_expired(
    rotation: Rotation,
) -> None:
    first = rotation.generate.execute()
    second = rotation.generate.execute()
    assert (first.state, second.state) == (KeyState.CURRENT, KeyState.NEXT)

    rotation.clock.advance(POLICY.publish_ahead)
    promoted = rotation.promote.execute(PromoteKeyRequest())
    assert (promoted.promoted.kid, promoted.retired.kid) == (second.kid, first.kid)
    assert promoted.retired.retired_at == rotation.clock.now()
    assert rotation.directory.files[first.kid] is False  # only its public key is kept

    third = rotation.generate.execute()
    rotation.clock.advance(POLICY.publish_ahead)
    rotation.promote.execute(PromoteKeyRequest(third.kid))
    assert rotation.states() == {
        first.kid: KeyState.RETIRED,
        second.kid: KeyState.RETIRED,
        third.kid: KeyState.CURRENT,
    }

    assert rotation.retire.execute(RetireKeysRequest()).removed == ()
    rotation.clock.advance(POLICY.retired_lifetime - POLICY.publish_ahead)
    assert rotation.retire.execute(RetireKeysRequest()).removed == (first.kid,)
    assert first.kid not in rotation.directory.files
    assert rotation.states() == {second.kid: KeyState.RETIRED, third.kid: KeyState.CURRENT}


def test_a_refused_step_leaves_the_directory_as_it_was(rotation: Rotation) -> None:
    rotation.generate.execute()
    rotation.generate.execute()
    before = rotation.directory.manifest
    with pytest.raises(SigningKeyTooEarlyError):
        rotation.promote.execute(PromoteKeyRequest())
    assert rotation.directory.manifest == before


def test_list_says_when_each_key_may_move_on(rotation: Rotation) -> None:
    first = rotation.generate.execute()
    rotation.generate.execute()
    created = rotation.clock.now()
    by_state = {status.key.state: status.ready_at for status in rotation.list.execute()}
    assert by_state == {KeyState.CURRENT: None, KeyState.NEXT: created + POLICY.publish_ahead}
    rotation.clock.advance(POLICY.publish_ahead)
    rotation.promote.execute(PromoteKeyRequest())
    retired = next(s for s in rotation.list.execute() if s.key.kid == first.kid)
    assert retired.ready_at == rotation.clock.now() + POLICY.retired_lifetime


def test_a_directory_without_states_is_adopted_by_the_first_step() -> None:
    directory = InMemoryKeyDirectory()
    directory.files = {"local-1": True, "old": False}
    rotation = Rotation(directory, ManualClock())
    new = rotation.generate.execute()
    assert rotation.states() == {
        "local-1": KeyState.CURRENT,
        new.kid: KeyState.NEXT,
        "old": KeyState.RETIRED,
    }
