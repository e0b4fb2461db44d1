"""The Redis settings every service has: single node or cluster, replica acknowledgements,
and what a cluster refuses at start."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from servicekit.settings import ServiceSettings


def test_a_single_redis_by_default_waiting_for_no_replica() -> None:
    settings = ServiceSettings()
    assert (settings.redis_cluster, settings.replica_acks) == (False, 0)


def test_on_a_cluster_writes_wait_for_one_replica_unless_told_otherwise() -> None:
    assert ServiceSettings(redis_cluster=True).replica_acks == 1
    assert ServiceSettings(redis_cluster=True, redis_replica_acks=0).replica_acks == 0
    assert ServiceSettings(redis_replica_acks=2).replica_acks == 2


def test_a_cluster_url_naming_another_database_is_refused() -> None:
    url = SecretStr("rediss://:token@clustercfg.eco2.example:6379/1")
    with pytest.raises(ValidationError, match="only database 0"):
        ServiceSettings(redis_cluster=True, redis_url=url)
    assert ServiceSettings(redis_url=url).redis_url == url  # a single Redis has sixteen


@pytest.mark.parametrize("prefix", ["{eco2}:", "auth}:"])
def test_a_key_prefix_with_a_hash_tag_is_refused(prefix: str) -> None:
    with pytest.raises(ValidationError, match="hash tag"):
        ServiceSettings(redis_key_prefix=prefix)
