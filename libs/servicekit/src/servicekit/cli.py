"""The command line every service PEX has: `serve` (default), `migrate`, and the
service's own commands."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from servicekit.logging import configure_logging
from servicekit.migrations import upgrade
from servicekit.server import serve
from servicekit.settings import ServiceSettings

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)

ServiceCommand = Callable[[SettingsT, list[str]], int]
"""A service's own command: given the settings and the arguments after its name,
it runs and answers the process's exit status."""


def run_service_cli(
    *,
    name: str,
    load_settings: Callable[[], SettingsT],
    app_factory: str,
    migrations: Path,
    schema: str,
    commands: Mapping[str, ServiceCommand[SettingsT]] | None = None,
    argv: list[str] | None = None,
) -> int:
    """`serve` runs `app_factory` ("module:function") with uvicorn; `migrate` applies
    the Alembic revisions in `migrations` to `schema` and exits; any of `commands`
    gets the arguments that follow its name. Answers the exit status."""
    commands = commands or {}
    parser = argparse.ArgumentParser(prog=name, description=f"Eco² {name} service")
    parser.add_argument(
        "command", nargs="?", default="serve", choices=("serve", "migrate", *commands)
    )
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.arguments and args.command not in commands:
        parser.error(f"{args.command} takes no arguments: {' '.join(args.arguments)}")
    settings = load_settings()
    configure_logging(name, settings.log_level)
    if args.command in commands:
        return commands[args.command](settings, args.arguments)
    if args.command == "migrate":
        upgrade(migrations, settings.database_url.get_secret_value(), schema)
        logging.getLogger(name).info("migrations applied", extra={"schema": schema})
        return 0
    serve(
        app_factory,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
    )
    return 0
