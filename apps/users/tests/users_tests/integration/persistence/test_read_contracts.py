"""One contract for the read side: the in-memory fakes the query tests run on
(``users_tests.unit.fakes.store``) and the asyncpg query gateways the read routes use
agree, on rows written and committed through the write side's ports (the ORM
gateways on PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber
from users_tests.integration.persistence.backends import Backend, save
from users_tests.unit.fakes.builders import a_character, a_social_account, a_user


async def test_the_profile_is_the_account_with_its_links_oldest_first(backend: Backend) -> None:
    user = a_user(nickname="분리배출왕")
    user.phone_number = PhoneNumber("010-1234-5678")
    google = a_social_account(user, provider="google", linked_at=user.created_at + timedelta(1))
    kakao = a_social_account(user, provider="kakao", email=None, email_verified=False)
    stranger = a_user()
    await save(backend, user, [google, kakao], [])
    await save(backend, stranger, [a_social_account(stranger)], [])

    async with backend.reads() as reads:
        found = await reads.profiles.get_with_social_accounts(user.id)
        assert found is not None
        loaded, accounts = found
        assert loaded.id == user.id
        assert loaded.nickname == Nickname("분리배출왕")
        assert loaded.phone_number == PhoneNumber("010-1234-5678")
        assert (loaded.name, loaded.email) == (user.name, user.email)
        assert loaded.created_at == user.created_at
        assert [(a.id, a.provider.value) for a in accounts] == [
            (kakao.id, "kakao"),
            (google.id, "google"),
        ]
        assert accounts[1].verified_email == google.verified_email
        assert accounts[0].email is None


async def test_an_account_without_links_has_an_empty_list(backend: Backend) -> None:
    user = a_user()
    await save(backend, user, [], [])
    async with backend.reads() as reads:
        found = await reads.profiles.get_with_social_accounts(user.id)
        assert found is not None
        assert found[0].id == user.id
        assert list(found[1]) == []


async def test_an_unknown_account_is_none_everywhere(backend: Backend) -> None:
    unknown = UserId(uuid.uuid4())
    async with backend.reads() as reads:
        assert await reads.profiles.get_with_social_accounts(unknown) is None
        assert await reads.characters.list_owned(unknown) is None
        assert await reads.characters.is_owned(unknown, CharacterCode("char-eco")) is None


async def test_owned_characters_newest_first_and_ownership(backend: Backend) -> None:
    user, other = a_user(), a_user()
    characters = [
        a_character(user, "char-a"),
        a_character(user, "char-b", acquired_after=timedelta(hours=1)),
        a_character(user, "char-x", status=CharacterStatus.BURNED),
        a_character(user, "char-y", status=CharacterStatus.TRADED),
    ]
    await save(backend, user, [], characters)
    await save(backend, other, [], [a_character(other, "char-other")])

    async with backend.reads() as reads:
        owned = await reads.characters.list_owned(user.id)
        assert owned is not None
        assert [(c.code.value, c.name, c.status) for c in owned] == [
            ("char-b", characters[1].name, CharacterStatus.OWNED),
            ("char-a", characters[0].name, CharacterStatus.OWNED),
        ]
        assert owned[1].acquired_at == characters[0].acquired_at
        assert owned[1].character_id == characters[0].character_id
        assert await reads.characters.is_owned(user.id, CharacterCode("char-a")) is True
        for code in ("char-x", "char-y", "char-other"):
            assert await reads.characters.is_owned(user.id, CharacterCode(code)) is False
        assert await reads.characters.is_owned(other.id, CharacterCode("char-other")) is True


async def test_an_account_without_characters_owns_none(backend: Backend) -> None:
    user = a_user()
    await save(backend, user, [], [a_character(user, "char-gone", status=CharacterStatus.BURNED)])
    async with backend.reads() as reads:
        owned = await reads.characters.list_owned(user.id)
        assert owned is not None
        assert list(owned) == []
