"""Composition of `auth keys`: the rotation use cases over a key directory, and the
waits the settings imply."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from auth.application.signing_key.commands.generate import GenerateSigningKeyInteractor
from auth.application.signing_key.commands.promote import PromoteSigningKeyInteractor
from auth.application.signing_key.commands.retire import RetireSigningKeysInteractor
from auth.application.signing_key.queries.list_keys import ListSigningKeysQuery
from auth.domain.signing_key.key_rotation_policy import KeyRotationPolicy
from auth.infrastructure.security.file_key_directory import FileKeyDirectory
from auth.presentation.cli.keys import KeyRotationUseCases, run_keys_cli
from auth.setup.settings import AuthSettings
from auth.setup.token_settings import TokenSettings
from kernel.clock import Clock, SystemClock


def key_rotation_policy(token: TokenSettings) -> KeyRotationPolicy:
    """A key change reaches every auth process within the propagation time plus one
    look at the directory. So a next key signs once published for that plus the
    JWKS max-age (every verifier's copy then holds it), and a retired key is
    published for that plus the longest token lifetime and the leeway (a process may
    sign with it until the change reaches it)."""
    reach = token.keys_propagation_seconds + token.keys_poll_seconds
    longest_token = max(token.access_ttl_seconds, token.refresh_ttl_seconds)
    return KeyRotationPolicy(
        publish_ahead=timedelta(seconds=reach + token.jwks_max_age_seconds),
        retired_lifetime=timedelta(seconds=reach + longest_token + token.leeway_seconds),
    )


def key_rotation_use_cases(
    settings: AuthSettings, directory: Path, clock: Clock | None = None
) -> KeyRotationUseCases:
    """The use cases over `directory`; a directory without states is adopted with
    `AUTH_TOKEN__SIGNING_KID` as its signing key."""
    clock = clock or SystemClock()
    files = FileKeyDirectory(directory, signing_kid=settings.token.signing_kid)
    policy = key_rotation_policy(settings.token)
    return KeyRotationUseCases(
        generate=GenerateSigningKeyInteractor(files, clock),
        promote=PromoteSigningKeyInteractor(files, clock, policy),
        retire=RetireSigningKeysInteractor(files, clock, policy),
        list_keys=ListSigningKeysQuery(files, clock, policy),
    )


def keys_command(settings: AuthSettings, argv: list[str]) -> int:
    """`auth keys …`, the PEX's key rotation command."""
    return run_keys_cli(
        argv,
        default_dir=settings.token.keys_dir,
        use_cases_for=lambda directory: key_rotation_use_cases(settings, directory),
    )
