"""k8s/components/redis-cluster: an overlay that adds it runs both services on a Redis
Cluster, and nothing else changes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from deploy.tools import OVERLAYS, REPO, Manifest, find, load_yaml, render, tools_bin

COMPONENT = REPO / "k8s" / "components" / "redis-cluster"


def with_component(overlay: str, directory: Path) -> tuple[Manifest, ...]:
    """`overlay` rendered with the component added, as an operator's overlay would."""
    (directory / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        f"resources:\n  - {os.path.relpath(REPO / 'k8s' / 'overlays' / overlay, directory)}\n"
        f"components:\n  - {os.path.relpath(COMPONENT, directory)}\n"
    )
    completed = subprocess.run(
        [str(tools_bin() / "kubectl"), "kustomize", str(directory)],
        check=True,
        capture_output=True,
        text=True,
    )
    return tuple(load_yaml(completed.stdout))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_component_switches_both_services_to_a_cluster_and_changes_nothing_else(
    overlay: str, tmp_path: Path
) -> None:
    plain, clustered = render(overlay), with_component(overlay, tmp_path)
    for service, prefix in (("auth", "AUTH"), ("users", "USERS")):
        config = find(clustered, "ConfigMap", f"{service}-config")["data"]
        assert config[f"{prefix}_REDIS_CLUSTER"] == "true"
        assert {k: v for k, v in config.items() if k != f"{prefix}_REDIS_CLUSTER"} == (
            find(plain, "ConfigMap", f"{service}-config")["data"]
        )
    others = [m for m in clustered if m["kind"] != "ConfigMap"]
    assert others == [m for m in plain if m["kind"] != "ConfigMap"]
