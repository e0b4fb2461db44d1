"""The local origin as `scripts/run` builds it, for tests: the e2e stack (the OpenID
Connect provider as auth's provider `dev`, auth, users and both relays) behind the
gateway (`deploy/local/gateway/run-gateway`, the same template and script as
`scripts/run`) serving the account page (`apps/account/site`), all on free ports.

auth is configured as the local profile configures it for a browser: its callback URL
and frontend origin are the gateway's, so the provider redirects to the gateway and
the cookies belong to the page's origin.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e.stack import Processes, Stack, running_stack, signing_key_pem
from testkit.databases import temporary_database
from testkit.ports import free_port
from testkit.redis_namespace import redis_namespace
from testkit.servers import postgres_server, redis_server

REPO = Path(__file__).resolve().parents[2]
GATEWAY_SCRIPT = REPO / "deploy" / "local" / "gateway" / "run-gateway"
ENSURE_APT_PACKAGES = REPO / "scripts" / "ensure-apt-packages"
PROVIDER = "dev"
PROVIDER_LABEL = "Dev (local)"  # auth's default label of provider dev
SIGNING_KID = "browser-e2e"


@dataclass(frozen=True)
class WebStack:
    """The gateway's origin, the services behind it, and the key auth signs with."""

    origin: str
    services: Stack
    processes: Processes
    signing_key_pem: str


def ensure_debian_packages(*pairs: str) -> None:
    """Install the Debian packages (`package:command`) whose command is missing."""
    done = subprocess.run(
        ["bash", str(ENSURE_APT_PACKAGES), *pairs],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"could not install {pairs}:\n{done.stderr[-3000:]}")


@contextmanager
def web_stack(processes: Processes, state: Path) -> Iterator[WebStack]:
    """Start everything (the gateway last, its files in `state`); all stop on exit."""
    ensure_debian_packages("nginx:nginx")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    key = signing_key_pem()
    auth_settings = {
        "AUTH_OAUTH__CALLBACK_BASE_URL": origin,
        "AUTH_OAUTH__FRONTEND_ORIGIN": origin,
        "AUTH_TOKEN__SIGNING_KEY_PEM": key,
        "AUTH_TOKEN__SIGNING_KID": SIGNING_KID,
    }
    with (
        postgres_server() as admin_url,
        temporary_database(admin_url, "web") as database_url,
        redis_server() as redis_url,
        redis_namespace(redis_url, "web") as prefix,
        running_stack(
            processes,
            database_url=database_url,
            redis_url=redis_url,
            prefix=prefix,
            auth_settings=auth_settings,
            # The page has no restore flow: a deleted account is purged at once, so
            # signing in again creates a new account (issue 12's scenario).
            users_settings={"USERS_DELETION__GRACE_PERIOD": "0"},
            relays=True,
            providers=(PROVIDER,),
        ) as services,
    ):
        processes.start(
            "gateway",
            [
                "bash",
                str(GATEWAY_SCRIPT),
                "--listen",
                f"127.0.0.1:{port}",
                "--auth",
                services.auth.removeprefix("http://"),
                "--users",
                services.users.removeprefix("http://"),
                "--state",
                str(state),
            ],
            dict(os.environ),
            f"{origin}/",
        )
        yield WebStack(origin, services, processes, key)
