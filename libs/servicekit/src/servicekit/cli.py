"""The command line every service PEX has: `serve` (default) or `migrate`."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path

from servicekit.logging import configure_logging
from servicekit.migrations import upgrade
from servicekit.server import serve
from servicekit.settings import ServiceSettings


def run_service_cli(
    *,
    name: str,
    load_settings: Callable[[], ServiceSettings],
    app_factory: str,
    migrations: Path,
    schema: str,
    argv: list[str] | None = None,
) -> None:
    """`serve` runs `app_factory` ("module:function") with uvicorn; `migrate` applies
    the Alembic revisions in `migrations` to `schema` and exits."""
    parser = argparse.ArgumentParser(prog=name, description=f"Eco² {name} service")
    parser.add_argument("command", nargs="?", default="serve", choices=("serve", "migrate"))
    args = parser.parse_args(argv)
    settings = load_settings()
    configure_logging(name, settings.log_level)
    if args.command == "migrate":
        upgrade(migrations, settings.database_url.get_secret_value(), schema)
        logging.getLogger(name).info("migrations applied", extra={"schema": schema})
        return
    serve(
        app_factory,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
    )
