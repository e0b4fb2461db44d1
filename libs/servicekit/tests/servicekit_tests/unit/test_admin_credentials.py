"""ServiceSettings.admin_credentials: named, distinct, strong outside local/test."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from servicekit.settings import ServiceSettings

STRONG = "s" * 32


def test_none_configured_is_allowed_everywhere() -> None:
    assert ServiceSettings(profile="prod").admin_credentials == {}


def test_named_strong_credentials_are_accepted_in_prod() -> None:
    settings = ServiceSettings(
        profile="prod",
        admin_credentials={"ops-kim": SecretStr(STRONG), "ops.lee_2": SecretStr("t" * 40)},
    )
    assert set(settings.admin_credentials) == {"ops-kim", "ops.lee_2"}


@pytest.mark.parametrize(
    ("profile", "credentials", "message"),
    [
        ("prod", {"ops-kim": "short"}, "at least 32"),
        ("test", {"ops-kim": ""}, "never empty"),
        ("prod", {"Ops Kim": STRONG}, "is not"),
        ("prod", {"a": STRONG, "b": STRONG}, "share a secret"),
    ],
    ids=["short in prod", "empty", "name not a word", "shared secret"],
)
def test_weak_or_ambiguous_credentials_are_refused(
    profile: str, credentials: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        ServiceSettings(
            profile=profile,  # type: ignore[arg-type]
            admin_credentials={name: SecretStr(secret) for name, secret in credentials.items()},
        )


def test_a_short_credential_is_fine_in_the_test_profile() -> None:
    settings = ServiceSettings(profile="test", admin_credentials={"dev": SecretStr("dev")})
    assert settings.admin_credentials["dev"].get_secret_value() == "dev"
