"""One contract, two implementations: the in-memory key directory and the files agree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from auth.application.signing_key.ports.key_directory import KeyDirectory
from auth.domain.signing_key.exceptions import InvalidSigningKeyError
from auth.domain.signing_key.key_rotation import KeyRotation
from auth.domain.signing_key.key_rotation_policy import KeyRotationPolicy
from auth.domain.signing_key.key_state import KeyState
from auth.domain.signing_key.signing_key_entry import SigningKeyEntry
from auth.infrastructure.security.file_key_directory import FileKeyDirectory
from auth.infrastructure.security.pem_keys import private_pem, public_pem
from auth_tests.unit.fakes.signing_key import InMemoryKeyDirectory

NOW = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
POLICY = KeyRotationPolicy(publish_ahead=timedelta(0), retired_lifetime=timedelta(days=1))


@dataclass(frozen=True)
class Directory:
    """A key directory and a way to put a key file in it as if by hand (no states)."""

    port: KeyDirectory
    put_key_file: Callable[[str, bool], None]


def _memory(signing_kid: str | None, _: Path) -> Directory:
    directory = InMemoryKeyDirectory(signing_kid=signing_kid)

    def put(kid: str, private: bool) -> None:
        directory.files[kid] = private

    return Directory(directory, put)


def _files(signing_kid: str | None, path: Path) -> Directory:
    def put(kid: str, private: bool) -> None:
        key = Ed25519PrivateKey.generate()
        pem = private_pem(key) if private else public_pem(key.public_key())
        (path / f"{kid}.pem").write_bytes(pem)

    return Directory(FileKeyDirectory(path, signing_kid=signing_kid), put)


@pytest.fixture(params=["memory", "files"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Directory]:
    build = _memory if request.param == "memory" else _files
    return lambda signing_kid=None: build(signing_kid, tmp_path)


def test_an_empty_directory_holds_no_key(make: Callable[..., Directory]) -> None:
    assert make().port.load(NOW) == KeyRotation()


def test_a_saved_rotation_loads_back_exactly(make: Callable[..., Directory]) -> None:
    port = make().port
    first, second = port.create_key(NOW), port.create_key(NOW)
    assert first != second
    rotation = KeyRotation().with_new_key(first, NOW).with_new_key(second, NOW)
    port.save(rotation)
    assert port.load(NOW + timedelta(days=3)) == rotation  # times kept to the microsecond
    promoted = rotation.promote(second, NOW + timedelta(hours=1), POLICY)
    port.save(promoted)
    assert port.load(NOW) == promoted


def test_created_kids_are_valid_kids_and_do_not_join_a_rotation_by_themselves(
    make: Callable[..., Directory],
) -> None:
    port = make().port
    kid = port.create_key(NOW)
    SigningKeyEntry(kid, KeyState.NEXT, NOW)  # a valid kid
    port.save(KeyRotation().with_new_key(port.create_key(NOW), NOW))
    assert kid not in {key.kid for key in port.load(NOW).keys}


def test_a_retired_key_keeps_only_its_public_key(make: Callable[..., Directory]) -> None:
    port = make().port
    old, new = port.create_key(NOW), port.create_key(NOW)
    rotated = KeyRotation().with_new_key(old, NOW).with_new_key(new, NOW).promote(new, NOW, POLICY)
    port.save(rotated)
    # It cannot sign again: its private key is gone. The refused save changes nothing.
    resurrected = KeyRotation(
        (
            SigningKeyEntry(old, KeyState.CURRENT, NOW, promoted_at=NOW),
            SigningKeyEntry(new, KeyState.NEXT, NOW),
        )
    )
    with pytest.raises(InvalidSigningKeyError, match="private key"):
        port.save(resurrected)
    assert port.load(NOW) == rotated


def test_a_key_removed_from_the_rotation_is_gone(make: Callable[..., Directory]) -> None:
    port = make().port
    old, new = port.create_key(NOW), port.create_key(NOW)
    rotated = KeyRotation().with_new_key(old, NOW).with_new_key(new, NOW).promote(new, NOW, POLICY)
    port.save(rotated)
    removed = rotated.without(old, NOW, POLICY, force=True)
    port.save(removed)
    with pytest.raises(InvalidSigningKeyError, match=old):  # its key file was deleted
        port.save(rotated)
    assert port.load(NOW) == removed


def test_a_directory_without_states_is_adopted(make: Callable[..., Directory]) -> None:
    directory = make()
    directory.put_key_file("local-1", True)
    directory.put_key_file("old", False)
    rotation = directory.port.load(NOW)
    assert {key.kid: key.state for key in rotation.keys} == {
        "local-1": KeyState.CURRENT,
        "old": KeyState.RETIRED,
    }
    assert rotation.get("old").retired_at == NOW


def test_several_private_keys_without_states_need_the_signing_kid(
    make: Callable[..., Directory],
) -> None:
    unnamed, named = make(), make(signing_kid="b")
    for directory in (unnamed, named):
        directory.put_key_file("a", True)
        directory.put_key_file("b", True)
    with pytest.raises(InvalidSigningKeyError, match="signing"):
        unnamed.port.load(NOW)
    rotation = named.port.load(NOW)
    assert (rotation.current.kid, rotation.get("a").state) == ("b", KeyState.NEXT)
