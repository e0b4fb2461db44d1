"""Deployment tools for the tests: kubectl and a YAML parser from scripts/deploy-tools.

The tools live in a cached virtualenv that scripts/deploy-tools creates on first use, so
the tests need no YAML library in the project's lockfile and no kubectl on the machine.
"""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
OVERLAYS = sorted(path.name for path in (REPO / "k8s" / "overlays").iterdir() if path.is_dir())

Manifest = dict[str, Any]

_YAML_TO_JSON = (
    "import json, sys, yaml; "
    "json.dump([d for d in yaml.safe_load_all(sys.stdin) if d], sys.stdout)"
)


@functools.cache
def tools_bin() -> Path:
    """The bin directory of the tool virtualenv, installing it when missing."""
    completed = subprocess.run(
        ["bash", str(REPO / "scripts" / "deploy-tools")],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(completed.stdout.strip())


def load_yaml(text: str) -> list[Manifest]:
    """Every non-empty document of a YAML stream, parsed with the tool virtualenv's PyYAML."""
    completed = subprocess.run(
        [str(tools_bin() / "python"), "-c", _YAML_TO_JSON],
        input=text,
        check=True,
        capture_output=True,
        text=True,
    )
    documents: list[Manifest] = json.loads(completed.stdout)
    return documents


@functools.cache
def render(overlay: str) -> tuple[Manifest, ...]:
    """The resources `kubectl kustomize k8s/overlays/<overlay>` renders."""
    completed = subprocess.run(
        [str(tools_bin() / "kubectl"), "kustomize", str(REPO / "k8s" / "overlays" / overlay)],
        check=True,
        capture_output=True,
        text=True,
    )
    return tuple(load_yaml(completed.stdout))


def find(manifests: tuple[Manifest, ...], kind: str, name: str) -> Manifest:
    """The one resource of `kind` named `name`."""
    matches = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind}/{name}, found {len(matches)}"
    return matches[0]


def of_kind(manifests: tuple[Manifest, ...], kind: str) -> list[Manifest]:
    """Every resource of `kind`."""
    return [m for m in manifests if m["kind"] == kind]


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    """Whether a matchLabels selector selects an object with these labels."""
    return all(labels.get(key) == value for key, value in selector.items())
