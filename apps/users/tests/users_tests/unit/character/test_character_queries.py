"""GetCharactersQuery and CheckCharacterOwnershipQuery with fakes."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from users.application.character.dto.character import CheckOwnershipRequest, GetCharactersRequest
from users.application.character.queries.check_ownership import CheckCharacterOwnershipQuery
from users.application.character.queries.get_characters import GetCharactersQuery
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.domain.exceptions.validation import InvalidCharacterCodeError
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.ids import UserId
from users_tests.unit.fakes.builders import a_character, a_user
from users_tests.unit.fakes.store import FakeAccountCharacterGateway, Store


@pytest.fixture
def store() -> Store:
    store = Store()
    user = a_user()
    store.users[user.id] = user
    store.characters += [
        a_character(user, "char-eco"),
        a_character(user, "char-new", acquired_after=timedelta(days=2)),
        a_character(user, "char-mid", acquired_after=timedelta(days=1)),
        a_character(user, "char-burned", status=CharacterStatus.BURNED),
        a_character(user, "char-traded", status=CharacterStatus.TRADED),
        a_character(a_user(), "char-elses"),
    ]
    return store


def _user_id(store: Store) -> UserId:
    return next(iter(store.users))


async def test_lists_owned_characters_newest_first(store: Store) -> None:
    query = GetCharactersQuery(FakeAccountCharacterGateway(store))
    characters = await query.execute(GetCharactersRequest(_user_id(store)))
    assert [c.code for c in characters] == ["char-new", "char-mid", "char-eco"]
    assert store.commits == 0


async def test_list_for_unknown_user(store: Store) -> None:
    query = GetCharactersQuery(FakeAccountCharacterGateway(store))
    with pytest.raises(UserNotFoundError):
        await query.execute(GetCharactersRequest(UserId(uuid.uuid4())))


@pytest.mark.parametrize(
    ("code", "owned"),
    [("char-eco", True), ("char-burned", False), ("char-traded", False), ("char-elses", False)],
)
async def test_ownership(store: Store, code: str, owned: bool) -> None:
    query = CheckCharacterOwnershipQuery(FakeAccountCharacterGateway(store))
    result = await query.execute(CheckOwnershipRequest(_user_id(store), code))
    assert (result.code, result.owned) == (code, owned)


async def test_ownership_with_an_invalid_code(store: Store) -> None:
    query = CheckCharacterOwnershipQuery(FakeAccountCharacterGateway(store))
    with pytest.raises(InvalidCharacterCodeError):
        await query.execute(CheckOwnershipRequest(_user_id(store), "no spaces"))


async def test_ownership_for_unknown_user(store: Store) -> None:
    query = CheckCharacterOwnershipQuery(FakeAccountCharacterGateway(store))
    with pytest.raises(UserNotFoundError):
        await query.execute(CheckOwnershipRequest(UserId(uuid.uuid4()), "char-eco"))
