"""The rotation's state machine: next -> current -> retired -> removed, and its waits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from auth.domain.signing_key.exceptions import (
    InvalidSigningKeyError,
    SigningKeyNotFoundError,
    SigningKeyStateError,
    SigningKeyTooEarlyError,
)
from auth.domain.signing_key.key_rotation import KeyRotation
from auth.domain.signing_key.key_rotation_policy import KeyRotationPolicy
from auth.domain.signing_key.key_state import KeyState
from auth.domain.signing_key.signing_key_entry import SigningKeyEntry

T0 = datetime(2026, 3, 1, tzinfo=UTC)
POLICY = KeyRotationPolicy(
    publish_ahead=timedelta(minutes=7), retired_lifetime=timedelta(days=14, minutes=2)
)


def states(rotation: KeyRotation) -> dict[str, KeyState]:
    return {key.kid: key.state for key in rotation.keys}


def signing(kid: str = "k1") -> KeyRotation:
    return KeyRotation().with_new_key(kid, T0)


def test_the_first_key_signs_at_once_and_later_ones_wait_as_next() -> None:
    rotation = signing("k1").with_new_key("k2", T0 + timedelta(hours=1))
    assert states(rotation) == {"k1": KeyState.CURRENT, "k2": KeyState.NEXT}
    assert rotation.current.kid == "k1"
    assert rotation.get("k1").promoted_at == T0


def test_promote_makes_the_next_key_current_and_retires_the_current_one() -> None:
    rotation = signing().with_new_key("k2", T0)
    at = T0 + POLICY.publish_ahead
    promoted = rotation.promote(None, at, POLICY)
    assert states(promoted) == {"k1": KeyState.RETIRED, "k2": KeyState.CURRENT}
    assert promoted.get("k2").promoted_at == at
    assert promoted.get("k1").retired_at == at
    assert promoted.get("k1").promoted_at == T0  # it keeps when it began signing


def test_a_next_key_published_for_less_than_publish_ahead_is_not_promoted() -> None:
    rotation = signing().with_new_key("k2", T0)
    just_before = T0 + POLICY.publish_ahead - timedelta(seconds=1)
    with pytest.raises(SigningKeyTooEarlyError, match=r"sign from 2026-03-01T00:07:00"):
        rotation.promote("k2", just_before, POLICY)


def test_force_promotes_before_the_wait() -> None:
    rotation = signing().with_new_key("k2", T0)
    forced = rotation.promote("k2", T0, POLICY, force=True)
    assert forced.current.kid == "k2"


@pytest.mark.parametrize(
    ("rotation", "kid", "error", "message"),
    [
        (signing(), None, SigningKeyStateError, "no next key"),
        (signing(), "k1", SigningKeyStateError, "current, not next"),
        (signing(), "zz", SigningKeyNotFoundError, "no key 'zz'"),
        (
            signing().with_new_key("k2", T0).with_new_key("k3", T0),
            None,
            SigningKeyStateError,
            "several next keys",
        ),
    ],
)
def test_promote_refuses_what_is_not_exactly_one_next_key(
    rotation: KeyRotation, kid: str | None, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        rotation.promote(kid, T0 + timedelta(days=1), POLICY)


def test_one_of_several_next_keys_is_promoted_by_name() -> None:
    rotation = signing().with_new_key("k2", T0).with_new_key("k3", T0)
    promoted = rotation.promote("k3", T0 + POLICY.publish_ahead, POLICY)
    assert states(promoted) == {"k1": KeyState.RETIRED, "k2": KeyState.NEXT, "k3": KeyState.CURRENT}


def rotated_twice() -> KeyRotation:
    """k1 retired at day 1, k2 retired at day 2, k3 current."""
    day = timedelta(days=1)
    return (
        signing()
        .with_new_key("k2", T0)
        .promote("k2", T0 + day, POLICY)
        .with_new_key("k3", T0 + day)
        .promote("k3", T0 + 2 * day, POLICY)
    )


def test_retired_keys_become_removable_one_retired_lifetime_after_they_retired() -> None:
    rotation = rotated_twice()
    k1_due = T0 + timedelta(days=1) + POLICY.retired_lifetime
    assert rotation.removable(k1_due - timedelta(seconds=1), POLICY) == ()
    assert rotation.removable(k1_due, POLICY) == ("k1",)
    assert rotation.removable(k1_due + timedelta(days=1), POLICY) == ("k1", "k2")
    assert POLICY.removable_at(rotation.get("k1")) == k1_due
    assert POLICY.removable_at(rotation.get("k3")) is None


def test_a_retired_key_is_removed_only_once_its_tokens_have_expired() -> None:
    rotation = rotated_twice()
    k1_due = T0 + timedelta(days=1) + POLICY.retired_lifetime
    with pytest.raises(SigningKeyTooEarlyError, match="may be valid until"):
        rotation.without("k1", k1_due - timedelta(seconds=1), POLICY)
    assert states(rotation.without("k1", k1_due, POLICY)) == {
        "k2": KeyState.RETIRED,
        "k3": KeyState.CURRENT,
    }


def test_force_removes_a_retired_key_before_then_for_a_compromised_key() -> None:
    rotation = rotated_twice()
    assert "k2" not in states(rotation.without("k2", T0, POLICY, force=True))


def test_the_current_key_is_never_removed_even_forced() -> None:
    with pytest.raises(SigningKeyStateError, match="current key"):
        rotated_twice().without("k3", T0 + timedelta(days=400), POLICY, force=True)


def test_a_next_key_that_never_signed_is_removed_at_once() -> None:
    rotation = signing().with_new_key("k2", T0)
    assert states(rotation.without("k2", T0, POLICY)) == {"k1": KeyState.CURRENT}


def test_adopting_a_directory_without_states() -> None:
    rotation = KeyRotation.adopt(signing="a", private=["a", "b"], public=["old"], now=T0)
    assert states(rotation) == {"a": KeyState.CURRENT, "b": KeyState.NEXT, "old": KeyState.RETIRED}
    assert rotation.get("old").retired_at == T0  # as if it had signed until now


@pytest.mark.parametrize(
    "keys",
    [
        (SigningKeyEntry("a", KeyState.NEXT, T0),),
        (
            SigningKeyEntry("a", KeyState.CURRENT, T0, promoted_at=T0),
            SigningKeyEntry("b", KeyState.CURRENT, T0, promoted_at=T0),
        ),
        (
            SigningKeyEntry("a", KeyState.CURRENT, T0, promoted_at=T0),
            SigningKeyEntry("a", KeyState.NEXT, T0),
        ),
    ],
)
def test_a_rotation_has_unique_kids_and_exactly_one_current_key(
    keys: tuple[SigningKeyEntry, ...],
) -> None:
    with pytest.raises(InvalidSigningKeyError):
        KeyRotation(keys)


def test_an_empty_rotation_has_no_current_key() -> None:
    with pytest.raises(SigningKeyStateError, match="generate one"):
        _ = KeyRotation().current


@pytest.mark.parametrize("kid", ["", "../etc", ".hidden", "a/b", "a b", "é", "x" * 65])
def test_a_kid_is_a_safe_file_name_and_secret_key(kid: str) -> None:
    with pytest.raises(InvalidSigningKeyError, match="kid"):
        SigningKeyEntry(kid, KeyState.NEXT, T0)


@pytest.mark.parametrize(
    ("state", "promoted_at", "retired_at"),
    [
        (KeyState.NEXT, T0, None),
        (KeyState.CURRENT, None, None),
        (KeyState.CURRENT, T0, T0),
        (KeyState.RETIRED, T0, None),
    ],
)
def test_a_key_records_the_times_its_state_implies(
    state: KeyState, promoted_at: datetime | None, retired_at: datetime | None
) -> None:
    with pytest.raises(InvalidSigningKeyError, match="key k"):
        SigningKeyEntry("k", state, T0, promoted_at=promoted_at, retired_at=retired_at)


def test_times_must_be_timezone_aware() -> None:
    with pytest.raises(InvalidSigningKeyError, match="timezone"):
        SigningKeyEntry("k", KeyState.NEXT, datetime(2026, 3, 1))  # noqa: DTZ001
