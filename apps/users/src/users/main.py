"""Entry point of the users PEX: `serve` (default) or `migrate`."""

from __future__ import annotations

from servicekit.cli import run_service_cli
from users.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from users.infrastructure.persistence_postgres.registry import SCHEMA
from users.setup.settings import UsersSettings


def main(argv: list[str] | None = None) -> None:
    run_service_cli(
        name="users",
        load_settings=UsersSettings,
        app_factory="users.setup.app:create_app",
        migrations=SCRIPT_LOCATION,
        schema=SCHEMA,
        argv=argv,
    )


if __name__ == "__main__":
    main()
