from __future__ import annotations

import uuid

import pytest

from kernel.entity import Entity


class Account(Entity[uuid.UUID]):
    def __init__(self, id_: uuid.UUID, name: str) -> None:
        super().__init__(id_)
        self.name = name


class Device(Entity[uuid.UUID]):
    pass


def test_entities_with_the_same_id_are_equal_whatever_their_state() -> None:
    id_ = uuid.uuid4()
    assert Account(id_, "a") == Account(id_, "b")
    assert hash(Account(id_, "a")) == hash(Account(id_, "b"))


def test_entities_with_different_ids_differ() -> None:
    assert Account(uuid.uuid4(), "a") != Account(uuid.uuid4(), "a")


def test_entities_of_different_types_with_one_id_differ() -> None:
    id_ = uuid.uuid4()
    assert Account(id_, "a") != Device(id_)
    assert len({Account(id_, "a"), Device(id_)}) == 2


def test_an_entity_is_found_in_a_set_after_its_state_changes() -> None:
    account = Account(uuid.uuid4(), "a")
    accounts = {account}
    account.name = "renamed"
    assert account in accounts


def test_the_id_cannot_change() -> None:
    account = Account(uuid.uuid4(), "a")
    with pytest.raises(AttributeError):
        account.id = uuid.uuid4()


def test_repr_names_type_and_id() -> None:
    id_ = uuid.UUID(int=1)
    assert repr(Device(id_)) == f"Device(id={id_!r})"


class Mapped(Entity[int]):
    """Like an ORM-instrumented class: the id reads as None before it is set."""

    id = None  # type: ignore[assignment]


def test_an_id_that_reads_as_none_can_be_set_once() -> None:
    entity = Mapped(7)
    assert entity.id == 7
    with pytest.raises(AttributeError, match="cannot change"):
        entity.id = 8  # type: ignore[assignment]
