from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest

from kernel.errors import ValidationError
from kernel.value_object import ValueObject, secret


@dataclasses.dataclass(frozen=True, slots=True)
class Nickname(ValueObject):
    MAX_LEN: ClassVar[int] = 5
    value: str

    def validate(self) -> None:
        if not 0 < len(self.value) <= self.MAX_LEN:
            raise ValidationError(f"nickname must be 1..{self.MAX_LEN} characters")


@dataclasses.dataclass(frozen=True, slots=True)
class Credential(ValueObject):
    username: str
    password: str = secret()


def test_value_objects_compare_by_value() -> None:
    assert Nickname("eco") == Nickname("eco")
    assert hash(Nickname("eco")) == hash(Nickname("eco"))
    assert Nickname("eco") != Nickname("eco2")


def test_validation_hook_runs_on_creation() -> None:
    with pytest.raises(ValidationError) as caught:
        Nickname("toolong")
    assert caught.value.code == "VALIDATION_FAILED"
    assert "1..5" in caught.value.detail


def test_value_objects_are_immutable_and_slotted() -> None:
    nickname = Nickname("eco")
    with pytest.raises(dataclasses.FrozenInstanceError):
        nickname.value = "x"  # type: ignore[misc]
    assert not hasattr(nickname, "__dict__")


def test_secret_fields_stay_out_of_repr() -> None:
    credential = Credential("eco", "hunter2")
    assert "hunter2" not in repr(credential)
    assert "eco" in repr(credential)


def test_a_value_object_needs_a_field() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Empty(ValueObject):
        pass

    with pytest.raises(TypeError):
        Empty()
