"""The files `auth keys` writes, and that auth's key loader reads them as the CLI meant.

Also the layouts auth must keep reading: a directory of PEM files without states
(scripts/run, older deployments), and a Kubernetes Secret volume (`..data` symlink).
"""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from auth.domain.signing_key.key_rotation import KeyRotation
from auth.domain.signing_key.key_rotation_policy import KeyRotationPolicy
from auth.infrastructure.security.file_key_directory import FileKeyDirectory
from auth.infrastructure.security.key_manifest import MANIFEST_NAME
from auth.infrastructure.security.key_set import KeySet, SigningKeyError, load_key_set
from auth.infrastructure.security.pem_keys import private_pem
from auth_tests.integration.signing_key.secret_volume import write_secret_volume

NOW = datetime(2026, 3, 1, tzinfo=UTC)
POLICY = KeyRotationPolicy(publish_ahead=timedelta(0), retired_lifetime=timedelta(days=1))


def load(keys_dir: Path, **overrides: object) -> KeySet:
    params: dict[str, object] = {
        "keys_dir": keys_dir,
        "signing_kid": None,
        "signing_key_pem": None,
        "public_keys_pem": None,
        "allow_ephemeral": False,
        **overrides,
    }
    return load_key_set(**params)  # type: ignore[arg-type]


def rotate(directory: FileKeyDirectory) -> tuple[str, str, str]:
    """Three keys: retired, current, next."""
    old, current, upcoming = (directory.create_key(NOW) for _ in range(3))
    rotation = (
        KeyRotation()
        .with_new_key(old, NOW)
        .with_new_key(current, NOW)
        .promote(current, NOW, POLICY)
        .with_new_key(upcoming, NOW)
    )
    directory.save(rotation)
    return old, current, upcoming


def test_the_layout_a_manifest_and_one_pem_per_key(tmp_path: Path) -> None:
    old, current, upcoming = rotate(FileKeyDirectory(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [MANIFEST_NAME, f"{old}.pem", f"{current}.pem", f"{upcoming}.pem"]
    )  # nothing written aside is left over
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert [(k["kid"], k["state"]) for k in manifest["keys"]] == [
        (old, "retired"),
        (current, "current"),
        (upcoming, "next"),
    ]
    assert manifest["keys"][0] == {
        "kid": old,
        "state": "retired",
        "created_at": "2026-03-01T00:00:00+00:00",
        "promoted_at": "2026-03-01T00:00:00+00:00",
        "retired_at": "2026-03-01T00:00:00+00:00",
    }
    assert (tmp_path / f"{old}.pem").read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    for kid in (current, upcoming):
        path = tmp_path / f"{kid}.pem"
        assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_auth_signs_with_the_current_key_and_publishes_all_three(tmp_path: Path) -> None:
    old, current, upcoming = rotate(FileKeyDirectory(tmp_path))
    keys = load(tmp_path)
    assert keys.signing_kid == current
    assert {entry["kid"] for entry in keys.jwks()["keys"]} == {old, current, upcoming}


def test_a_manifest_ignores_pem_files_it_does_not_name(tmp_path: Path) -> None:
    _, current, _ = rotate(FileKeyDirectory(tmp_path))
    (tmp_path / "stray.pem").write_bytes(private_pem(Ed25519PrivateKey.generate()))
    keys = load(tmp_path)
    assert keys.signing_kid == current
    assert "stray" not in keys.public_keys


def test_a_manifest_and_a_signing_kid_setting_conflict(tmp_path: Path) -> None:
    _, current, _ = rotate(FileKeyDirectory(tmp_path))
    with pytest.raises(SigningKeyError, match="unset AUTH_TOKEN__SIGNING_KID"):
        load(tmp_path, signing_kid=current)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d, kid: (d / f"{kid}.pem").unlink(), "No such file"),
        (lambda d, kid: (d / MANIFEST_NAME).write_text("{"), "not a key manifest"),
        (lambda d, kid: (d / f"{kid}.pem").write_text("junk"), "not an unencrypted PEM"),
    ],
)
def test_a_broken_directory_is_a_signing_key_error(
    tmp_path: Path, damage: object, message: str
) -> None:
    _, current, _ = rotate(FileKeyDirectory(tmp_path))
    damage(tmp_path, current)  # type: ignore[operator]
    with pytest.raises(SigningKeyError, match=message):
        load(tmp_path)


def test_a_directory_without_states_still_loads_as_before(tmp_path: Path) -> None:
    # What scripts/run and the tests create: one private key, no manifest.
    (tmp_path / "local-1.pem").write_bytes(private_pem(Ed25519PrivateKey.generate()))
    assert load(tmp_path).signing_kid == "local-1"


def test_a_generate_on_a_directory_without_states_keeps_its_key_signing(tmp_path: Path) -> None:
    (tmp_path / "local-1.pem").write_bytes(private_pem(Ed25519PrivateKey.generate()))
    before = load(tmp_path).public_keys["local-1"]
    directory = FileKeyDirectory(tmp_path)
    rotation = directory.load(NOW)
    new = directory.create_key(NOW)
    directory.save(rotation.with_new_key(new, NOW))
    keys = load(tmp_path)
    assert keys.signing_kid == "local-1"
    assert keys.public_keys["local-1"] == before
    assert set(keys.public_keys) == {"local-1", new}


def test_a_secret_volume_is_read_through_its_symlinks(tmp_path: Path) -> None:
    working = tmp_path / "working"
    working.mkdir()
    _, current, _ = rotate(FileKeyDirectory(working))
    mounted = tmp_path / "mounted"
    mounted.mkdir()
    write_secret_volume(mounted, {p.name: p.read_bytes() for p in working.iterdir()}, 1)
    assert load(mounted).signing_kid == current
