"""The service command line: `serve`, `migrate`, and a service's own commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekit.cli import run_service_cli
from servicekit.settings import ServiceSettings


def run(argv: list[str], commands: dict[str, object] | None = None) -> int:
    return run_service_cli(
        name="svc",
        load_settings=ServiceSettings,
        app_factory="svc.app:create_app",
        migrations=Path("migrations"),
        schema="svc",
        commands=commands,  # type: ignore[arg-type]
        argv=argv,
    )


def test_a_service_command_gets_the_settings_and_everything_after_its_name() -> None:
    seen: list[tuple[ServiceSettings, list[str]]] = []

    def keys(settings: ServiceSettings, argv: list[str]) -> int:
        seen.append((settings, argv))
        return 3

    assert run(["keys", "--dir", "/k", "promote", "--force"], {"keys": keys}) == 3
    [(settings, argv)] = seen
    assert isinstance(settings, ServiceSettings)
    assert argv == ["--dir", "/k", "promote", "--force"]


@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_serve_and_migrate_take_no_arguments(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run([command, "now"], {"keys": lambda settings, argv: 0})
    assert exited.value.code == 2
    assert f"{command} takes no arguments: now" in capsys.readouterr().err


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run(["keys"])
    assert exited.value.code == 2
    assert "invalid choice: 'keys'" in capsys.readouterr().err
