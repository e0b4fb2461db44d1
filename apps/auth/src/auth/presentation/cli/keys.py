"""`auth keys`: rotate the signing keys of a key directory.

    auth keys [--dir DIR] list
    auth keys [--dir DIR] generate
    auth keys [--dir DIR] promote [--kid KID] [--force]
    auth keys [--dir DIR] retire [--kid KID] [--force]

`--dir` defaults to `AUTH_TOKEN__KEYS_DIR`. Every command prints the keys after it
ran; a refused step prints why on stderr and exits with status 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from auth.application.signing_key.commands.generate import GenerateSigningKeyInteractor
from auth.application.signing_key.commands.promote import PromoteSigningKeyInteractor
from auth.application.signing_key.commands.retire import RetireSigningKeysInteractor
from auth.application.signing_key.dto.signing_key import (
    PromoteKeyRequest,
    RetireKeysRequest,
    SigningKeyStatus,
)
from auth.application.signing_key.queries.list_keys import ListSigningKeysQuery
from auth.domain.signing_key.key_state import KeyState
from kernel.errors import AppError


@dataclass(frozen=True)
class KeyRotationUseCases:
    """What `auth keys` runs, bound to one key directory."""

    generate: GenerateSigningKeyInteractor
    promote: PromoteSigningKeyInteractor
    retire: RetireSigningKeysInteractor
    list_keys: ListSigningKeysQuery


def _parser() -> argparse.ArgumentParser:
    directory = argparse.ArgumentParser(add_help=False)
    directory.add_argument(  # before or after the action: unset, neither parser sets it
        "--dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="the key directory (default: AUTH_TOKEN__KEYS_DIR)",
    )
    step = argparse.ArgumentParser(add_help=False)
    step.add_argument("--kid", help="the key (default: the only one the step applies to)")
    step.add_argument("--force", action="store_true", help="skip the wait the rule asks for")
    parser = argparse.ArgumentParser(
        prog="auth keys", description="Rotate auth's signing keys.", parents=[directory]
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser(
        "list", parents=[directory], help="the keys, their states and when they may move on"
    )
    actions.add_parser(
        "generate",
        parents=[directory],
        help="add a key, published as next (the first key of an empty directory is current)",
    )
    actions.add_parser(
        "promote",
        parents=[directory, step],
        help="the next key signs, the current one retires (once the next key has been "
        "published long enough: every verifier's JWKS copy must hold it)",
    )
    actions.add_parser(
        "retire",
        parents=[directory, step],
        help="stop publishing the retired keys whose tokens have all expired (--kid: one "
        "key; --force: a retired key before then, e.g. a compromised one)",
    )
    return parser


def run_keys_cli(
    argv: list[str],
    *,
    default_dir: Path | None,
    use_cases_for: Callable[[Path], KeyRotationUseCases],
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Run one `auth keys` command; answer the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    directory = getattr(args, "dir", default_dir)
    if directory is None:
        parser.error("no key directory: pass --dir or set AUTH_TOKEN__KEYS_DIR")
    use_cases = use_cases_for(directory)
    try:
        if args.action == "generate":
            key = use_cases.generate.execute()
            print(f"generated {key.kid} ({key.state})", file=out)
        elif args.action == "promote":
            promoted = use_cases.promote.execute(PromoteKeyRequest(args.kid, args.force))
            print(f"{promoted.promoted.kid} signs; {promoted.retired.kid} retired", file=out)
        elif args.action == "retire":
            removed = use_cases.retire.execute(RetireKeysRequest(args.kid, args.force)).removed
            print(f"removed {', '.join(removed)}" if removed else "nothing to remove", file=out)
        statuses = use_cases.list_keys.execute()
    except AppError as exc:
        print(f"auth keys {args.action}: {exc.detail} ({exc.code})", file=err)
        return 1
    for status in statuses:
        print(_line(status), file=out)
    return 0


def _line(status: SigningKeyStatus) -> str:
    key = status.key
    times = [f"created {_time(key.created_at)}"]
    if key.promoted_at is not None:
        times.append(f"promoted {_time(key.promoted_at)}")
    if key.retired_at is not None:
        times.append(f"retired {_time(key.retired_at)}")
    step = {
        KeyState.NEXT: "may be promoted from",
        KeyState.CURRENT: "signs",
        KeyState.RETIRED: "may be removed from",
    }[key.state]
    if status.ready_at is not None:
        step = f"{step} {_time(status.ready_at)}"
    return f"{key.kid}  {key.state:<7}  {', '.join(times)}; {step}"


def _time(instant: datetime) -> str:
    return instant.isoformat(timespec="seconds")
