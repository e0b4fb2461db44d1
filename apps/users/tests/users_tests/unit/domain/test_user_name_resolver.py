"""Display name and nickname resolution."""

from __future__ import annotations

from users.domain.services.user_name_resolver import UserNameResolver
from users.domain.value_objects.nickname import Nickname
from users_tests.unit.fakes.builders import a_user

names = UserNameResolver()


def test_nickname_wins_for_both() -> None:
    user = a_user(nickname="분리배출왕", name="홍길동")
    display = names.resolve_display_name(user)
    assert display == "분리배출왕"
    assert names.resolve_nickname(user, display) == "분리배출왕"


def test_provider_name_when_no_nickname() -> None:
    user = a_user(name="홍길동")
    display = names.resolve_display_name(user)
    assert display == "홍길동"
    assert names.resolve_nickname(user, display) == "홍길동"


def test_email_local_part_when_no_name() -> None:
    user = a_user(name=None, email="eco.fan@example.com")
    assert names.resolve_display_name(user) == "eco.fan"


def test_fallback_names_the_user_by_id() -> None:
    user = a_user(name=None, email=None)
    display = names.resolve_display_name(user)
    assert display == f"이코 사용자-{user.id.hex[-6:]}"
    assert names.resolve_nickname(user, display) == display


def test_long_display_name_is_cut_to_a_valid_nickname() -> None:
    user = a_user(name="가" * 50)
    nickname = names.resolve_nickname(user, names.resolve_display_name(user))
    assert nickname == "가" * Nickname.MAX_LEN


def test_display_name_that_cannot_be_a_nickname_falls_back() -> None:
    user = a_user(name="bad\u0000name")
    nickname = names.resolve_nickname(user, names.resolve_display_name(user))
    assert nickname == f"이코 사용자-{user.id.hex[-6:]}"
