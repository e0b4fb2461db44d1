"""`auth keys`: arguments, what it prints, exit statuses (over in-memory use cases)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from auth.application.signing_key.commands.generate import GenerateSigningKeyInteractor
from auth.application.signing_key.commands.promote import PromoteSigningKeyInteractor
from auth.application.signing_key.commands.retire import RetireSigningKeysInteractor
from auth.application.signing_key.queries.list_keys import ListSigningKeysQuery
from auth.domain.signing_key.key_rotation_policy import KeyRotationPolicy
from auth.domain.signing_key.key_state import KeyState
from auth.presentation.cli.keys import KeyRotationUseCases, run_keys_cli
from auth_tests.unit.fakes.signing_key import InMemoryKeyDirectory
from testkit.clock import ManualClock

POLICY = KeyRotationPolicy(publish_ahead=timedelta(minutes=7), retired_lifetime=timedelta(days=14))
DEFAULT_DIR = Path("/var/run/secrets/eco2/jwt")


class Cli:
    """The CLI over one in-memory directory per path it is given."""

    def __init__(self) -> None:
        self.clock = ManualClock()
        self.directories: dict[Path, InMemoryKeyDirectory] = {}
        self.out = io.StringIO()
        self.err = io.StringIO()

    def use_cases(self, path: Path) -> KeyRotationUseCases:
        directory = self.directories.setdefault(path, InMemoryKeyDirectory())
        return KeyRotationUseCases(
            generate=GenerateSigningKeyInteractor(directory, self.clock),
            promote=PromoteSigningKeyInteractor(directory, self.clock, POLICY),
            retire=RetireSigningKeysInteractor(directory, self.clock, POLICY),
            list_keys=ListSigningKeysQuery(directory, self.clock, POLICY),
        )

    def __call__(self, *argv: str, default_dir: Path | None = DEFAULT_DIR) -> int:
        self.out, self.err = io.StringIO(), io.StringIO()
        return run_keys_cli(
            list(argv),
            default_dir=default_dir,
            use_cases_for=self.use_cases,
            out=self.out,
            err=self.err,
        )

    def states(self, path: Path = DEFAULT_DIR) -> list[KeyState]:
        manifest = self.directories[path].manifest
        assert manifest is not None
        return [key.state for key in manifest.keys]


@pytest.fixture
def cli() -> Cli:
    return Cli()


def test_generate_promote_retire_print_the_keys_after_each_step(cli: Cli) -> None:
    assert cli("generate") == 0
    assert cli.out.getvalue().startswith("generated 20260101-key1 (current)\n")
    assert cli("generate") == 0
    lines = cli.out.getvalue().splitlines()
    assert lines[0] == "generated 20260101-key2 (next)"
    assert lines[2] == (
        "20260101-key2  next     created 2026-01-01T00:00:00+00:00; "
        "may be promoted from 2026-01-01T00:07:00+00:00"
    )
    cli.clock.advance(POLICY.publish_ahead)
    assert cli("promote") == 0
    assert cli.out.getvalue().splitlines()[0] == "20260101-key2 signs; 20260101-key1 retired"
    assert cli.states() == [KeyState.RETIRED, KeyState.CURRENT]
    assert cli("retire") == 0
    assert cli.out.getvalue().splitlines()[0] == "nothing to remove"
    assert "may be removed from 2026-01-15T00:07:00+00:00" in cli.out.getvalue()


def test_a_refused_step_exits_1_and_says_why_on_stderr(cli: Cli) -> None:
    cli("generate")
    cli("generate")
    assert cli("promote") == 1
    assert cli.out.getvalue() == ""
    assert cli.err.getvalue() == (
        "auth keys promote: key 20260101-key2 is published since 2026-01-01T00:00:00+00:00; "
        "it may sign from 2026-01-01T00:07:00+00:00, when every verifier's copy of the JWKS "
        "holds it (force to promote now) (SIGNING_KEY_TOO_EARLY)\n"
    )


def test_force_and_kid_reach_the_use_cases(cli: Cli) -> None:
    cli("generate")
    cli("generate")
    assert cli("promote", "--kid", "20260101-key2", "--force") == 0
    assert cli("retire", "--kid", "20260101-key1") == 1
    assert "SIGNING_KEY_TOO_EARLY" in cli.err.getvalue()
    assert cli("retire", "--kid", "20260101-key1", "--force") == 0
    assert cli.out.getvalue().splitlines()[0] == "removed 20260101-key1"
    assert cli.states() == [KeyState.CURRENT]


@pytest.mark.parametrize("where", ["before", "after"])
def test_dir_may_come_before_or_after_the_action(cli: Cli, where: str) -> None:
    other = Path("/tmp/keys")
    argv = (
        ["--dir", str(other), "generate"]
        if where == "before"
        else ["generate", "--dir", str(other)]
    )
    assert cli(*argv) == 0
    assert cli.states(other) == [KeyState.CURRENT]
    assert DEFAULT_DIR not in cli.directories


def test_without_a_directory_it_is_a_usage_error(
    cli: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli("list", default_dir=None)
    assert exited.value.code == 2
    assert "no key directory: pass --dir or set AUTH_TOKEN__KEYS_DIR" in capsys.readouterr().err


def test_an_unknown_action_is_a_usage_error(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli("rotate")
    assert exited.value.code == 2
    assert "invalid choice: 'rotate'" in capsys.readouterr().err
