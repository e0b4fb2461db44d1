"""Entry point of the auth PEX: `serve` (default), `migrate` or `keys …`."""

from __future__ import annotations

from auth.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from auth.infrastructure.persistence_postgres.registry import SCHEMA
from auth.setup.key_rotation import keys_command
from auth.setup.settings import AuthSettings
from servicekit.cli import run_service_cli


def main(argv: list[str] | None = None) -> int:
    return run_service_cli(
        name="auth",
        load_settings=AuthSettings,
        app_factory="auth.setup.app:create_app",
        migrations=SCRIPT_LOCATION,
        schema=SCHEMA,
        commands={"keys": keys_command},
        argv=argv,
    )


if __name__ == "__main__":
    raise SystemExit(main())
