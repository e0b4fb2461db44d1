"""A key directory laid out as the kubelet mounts a Secret."""

from __future__ import annotations

import os
from pathlib import Path


def write_secret_volume(
    path: Path, files: dict[str, bytes], generation: int, *, complete: bool = True
) -> None:
    """Write `files` as the kubelet updates a Secret volume: a new timestamped
    directory, `..data` swapped to it by a rename, then one visible symlink per new
    file through `..data`, and the symlinks of files no longer there removed. Without
    `complete`, stop after the swap (where a reader may catch the kubelet)."""
    payload = path / f"..2026_03_01_00_00_{generation:02d}.000000000"
    payload.mkdir()
    for name, content in files.items():
        (payload / name).write_bytes(content)
    (path / "..data_tmp").symlink_to(payload.name)
    os.replace(path / "..data_tmp", path / "..data")
    if not complete:
        return
    for name in files:
        if not (path / name).is_symlink():
            (path / name).symlink_to(f"..data/{name}")
    for stale in path.iterdir():
        if not stale.name.startswith(".") and stale.name not in files:
            stale.unlink()
