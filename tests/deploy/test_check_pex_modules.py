"""scripts/check-pex-modules on PEX files built here: it passes a clean one and fails leaks."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from deploy.tools import REPO

SCRIPT = REPO / "scripts" / "check-pex-modules"
CLEAN_AUTH = [
    "auth/__init__.py",
    "auth/main.py",
    "kernel/__init__.py",
    "servicekit/__init__.py",
    ".deps/fastapi-0.115.0-py3-none-any.whl/fastapi/__init__.py",
    ".bootstrap/pex/__init__.py",
    "__main__.py",
]


def make_pex(path: Path, files: list[str], entry_point: str = "auth.main:main") -> Path:
    """A zipapp laid out as pex lays one out: user code at the top, wheels under .deps/."""
    with zipfile.ZipFile(path, "w") as pex:
        pex.writestr("PEX-INFO", json.dumps({"entry_point": entry_point}))
        for name in files:
            pex.writestr(name, "")
    return path


def check(*specs: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *specs], capture_output=True, text=True, check=False
    )


def test_a_pex_with_its_app_kernel_and_servicekit_passes(tmp_path: Path) -> None:
    pex = make_pex(tmp_path / "auth-api.pex", CLEAN_AUTH)
    result = check(f"{pex}=auth=auth.main:main")
    assert result.returncode == 0, result.stdout
    assert "first-party: auth (2 files), kernel (1 files), servicekit (1 files)" in result.stdout
    assert "third-party: 1 distributions: fastapi-0.115.0" in result.stdout
    assert "checked 1 PEX files: 1 OK, 0 failed" in result.stdout


def test_the_other_app_in_a_pex_fails(tmp_path: Path) -> None:
    pex = make_pex(tmp_path / "auth-api.pex", [*CLEAN_AUTH, "users/__init__.py", "users/main.py"])
    result = check(f"{pex}=auth")
    assert result.returncode == 1
    assert "FAIL: contains the other app `users` (2 files)" in result.stdout


def test_pointing_at_the_wrong_pex_fails(tmp_path: Path) -> None:
    users = [name.replace("auth", "users") for name in CLEAN_AUTH]
    pex = make_pex(tmp_path / "users-api.pex", users, entry_point="users.main:main")
    result = check(f"{pex}=auth=auth.main:main")
    assert result.returncode == 1
    assert "FAIL: contains the other app `users`" in result.stdout
    assert "FAIL: lacks `auth`" in result.stdout
    assert "FAIL: entry point is users.main:main, expected auth.main:main" in result.stdout


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("auth_tests/__init__.py", "contains test code `auth_tests`"),
        ("testkit/__init__.py", "contains test code `testkit`"),
        ("conftest.py", "contains test code `conftest`"),
        ("scratch/__init__.py", "contains unexpected first-party package `scratch`"),
        (
            ".deps/pytest-8.0.0-py3-none-any.whl/pytest/__init__.py",
            "contains the development tool `pytest`",
        ),
    ],
)
def test_anything_outside_the_closure_fails(tmp_path: Path, extra: str, problem: str) -> None:
    pex = make_pex(tmp_path / "auth-api.pex", [*CLEAN_AUTH, extra])
    result = check(f"{pex}=auth")
    assert result.returncode == 1
    assert f"FAIL: {problem}" in result.stdout


def test_a_missing_shared_library_fails(tmp_path: Path) -> None:
    files = [name for name in CLEAN_AUTH if not name.startswith("servicekit/")]
    result = check(f"{make_pex(tmp_path / 'auth-api.pex', files)}=auth")
    assert result.returncode == 1
    assert "FAIL: lacks `servicekit`" in result.stdout


def test_a_missing_pex_fails_and_every_argument_is_still_checked(tmp_path: Path) -> None:
    good = make_pex(tmp_path / "auth-api.pex", CLEAN_AUTH)
    result = check(f"{tmp_path / 'absent.pex'}=users", f"{good}=auth")
    assert result.returncode == 1
    assert "FAIL: missing; run `./pants package ::` first" in result.stdout
    assert "checked 2 PEX files: 1 OK, 1 failed" in result.stdout
