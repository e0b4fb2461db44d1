"""Entry point of the auth PEX: `serve` (default) or `migrate`."""

from __future__ import annotations

import argparse
import logging

from auth.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from auth.infrastructure.persistence_postgres.registry import SCHEMA
from auth.setup.settings import AuthSettings
from servicekit.logging import configure_logging
from servicekit.migrations import upgrade
from servicekit.server import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="auth", description="Eco² auth service")
    parser.add_argument("command", nargs="?", default="serve", choices=("serve", "migrate"))
    args = parser.parse_args(argv)
    settings = AuthSettings()
    configure_logging("auth", settings.log_level)
    if args.command == "migrate":
        upgrade(SCRIPT_LOCATION, settings.database_url.get_secret_value(), SCHEMA)
        logging.getLogger("auth").info("migrations applied", extra={"schema": SCHEMA})
        return
    serve(
        "auth.setup.app:create_app",
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
    )


if __name__ == "__main__":
    main()
