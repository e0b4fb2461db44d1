"""Entry point of the users PEX: `serve` (default) or `migrate`."""

from __future__ import annotations

import argparse
import logging

from servicekit.logging import configure_logging
from servicekit.migrations import upgrade
from servicekit.server import serve
from users.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from users.infrastructure.persistence_postgres.registry import SCHEMA
from users.setup.settings import UsersSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="users", description="Eco² users service")
    parser.add_argument("command", nargs="?", default="serve", choices=("serve", "migrate"))
    args = parser.parse_args(argv)
    settings = UsersSettings()
    configure_logging("users", settings.log_level)
    if args.command == "migrate":
        upgrade(SCRIPT_LOCATION, settings.database_url.get_secret_value(), SCHEMA)
        logging.getLogger("users").info("migrations applied", extra={"schema": SCHEMA})
        return
    serve(
        "users.setup.app:create_app",
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
    )


if __name__ == "__main__":
    main()
