"""UserProfileBuilder: pure assembly of the profile."""

from __future__ import annotations

from datetime import timedelta

from users.application.common.services.user_profile_builder import UserProfileBuilder
from users.domain.services.user_name_resolver import UserNameResolver
from users_tests.unit.fakes.builders import T0, a_social_account, a_user

builder = UserProfileBuilder(UserNameResolver())


def test_linked_providers_once_each_in_link_order() -> None:
    user = a_user()
    accounts = [
        a_social_account(user, provider="google", linked_at=T0 + timedelta(days=2)),
        a_social_account(user, provider="kakao", linked_at=T0),
        a_social_account(user, provider="google", linked_at=T0 + timedelta(days=3)),
    ]
    profile = builder.build(user, accounts, "google")
    assert profile.linked_providers == ("kakao", "google")
    assert profile.provider == "google"


def test_email_falls_back_to_the_current_providers_verified_email() -> None:
    user = a_user(email=None)
    accounts = [
        a_social_account(user, provider="kakao", email="k@example.com", email_verified=False),
        a_social_account(user, provider="google", email="g@example.com", email_verified=True),
    ]
    assert builder.build(user, accounts, "google").email == "g@example.com"
    assert builder.build(user, accounts, "kakao").email is None


def test_names_and_fields_come_from_the_user() -> None:
    user = a_user(nickname="분리배출왕", email="eco@example.com")
    profile = builder.build(user, [], "kakao")
    assert (profile.user_id, profile.display_name, profile.nickname) == (
        user.id,
        "분리배출왕",
        "분리배출왕",
    )
    assert profile.email == "eco@example.com"
    assert profile.linked_providers == ()
    assert profile.created_at == T0
