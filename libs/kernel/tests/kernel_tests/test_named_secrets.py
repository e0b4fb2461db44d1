"""match_named_secret: the name of the matching secret, or None."""

from __future__ import annotations

from kernel.named_secrets import match_named_secret

SECRETS = {"alice": "a" * 32, "bob": "b" * 32, "nobody": ""}


def test_the_matching_name_is_returned() -> None:
    assert match_named_secret("a" * 32, SECRETS) == "alice"
    assert match_named_secret("b" * 32, SECRETS) == "bob"


def test_a_wrong_prefix_or_longer_secret_matches_nothing() -> None:
    assert match_named_secret("a" * 31, SECRETS) is None
    assert match_named_secret("a" * 33, SECRETS) is None
    assert match_named_secret("b" * 32 + "x", SECRETS) is None


def test_an_empty_credential_never_matches_an_empty_secret() -> None:
    assert match_named_secret("", SECRETS) is None
    assert match_named_secret("", {}) is None
